// The share card (分享有礼): an image drawn on a canvas and saved as PNG, with the participant's
// score, rank and date and a QR code of the site (qrcode-generator from npm, served as
// /vendor/qrcode.mjs), shown in a dialog with a "save" link, easy to keep on a phone.
import qrcode from '/vendor/qrcode.mjs';
import { el, clear } from './dom.js';

const WIDTH = 720;
const HEIGHT = 1080;

function drawQr(ctx, text, x, y, size) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const cell = size / (count + 8); // a 4-module quiet zone on each side
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x, y, size, size);
  ctx.fillStyle = '#000000';
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.isDark(row, col)) ctx.fillRect(x + (col + 4) * cell, y + (row + 4) * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
}

function centred(ctx, text, y, font, colour) {
  ctx.font = font;
  ctx.fillStyle = colour;
  ctx.textAlign = 'center';
  ctx.fillText(text, WIDTH / 2, y, WIDTH - 80);
}

// { title, name, correct, total, points, rank: {rank, of, region_name} | null, day, url } → PNG data URL
export function drawShareCard(card) {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d');
  const gradient = ctx.createLinearGradient(0, 0, WIDTH, HEIGHT);
  gradient.addColorStop(0, '#082f63');
  gradient.addColorStop(1, '#1763c6');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  ctx.fillStyle = '#f5a300';
  ctx.fillRect(0, 0, WIDTH, 16);
  const font = (size, weight = 700) => `${weight} ${size}px system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif`;
  centred(ctx, '安全生产月 · 网上答题', 110, font(32, 600), '#d6e6fb');
  centred(ctx, card.title, 190, font(64, 900), '#ffffff');
  centred(ctx, card.name ? `${card.name} 的今日成绩` : '我的今日成绩', 280, font(36, 600), '#ffffff');
  centred(ctx, `答对 ${card.correct}/${card.total} 题`, 390, font(80, 900), '#ffd451');
  centred(ctx, `获得 ${card.points} 分`, 470, font(44, 700), '#ffffff');
  if (card.rank?.rank) centred(ctx, `${card.rank.region_name}第 ${card.rank.rank} 名（共 ${card.rank.of} 人）`, 540, font(36, 600), '#ffffff');
  centred(ctx, card.day, 600, font(32, 500), '#d6e6fb');
  drawQr(ctx, card.url, (WIDTH - 320) / 2, 650, 320);
  centred(ctx, '扫码一起测测你的安全力', 1030, font(32, 600), '#ffffff');
  return canvas.toDataURL('image/png');
}

// Opens (creating once) the share dialog with the card's image and a save link.
export function openShareDialog(card) {
  let dialog = document.getElementById('share-dialog');
  if (!dialog) {
    dialog = el('dialog', { className: 'dialog', id: 'share-dialog', attrs: { 'aria-labelledby': 'share-title' } });
    document.body.append(dialog);
  }
  const image = drawShareCard(card);
  const close = el('button', { className: 'btn btn--ghost btn--block', id: 'share-close', text: '关闭', attrs: { type: 'button' }, on: { click: () => dialog.close() } });
  clear(dialog).append(el('div', { className: 'share' },
    el('h2', { className: 'card__title', id: 'share-title', text: '分享我的成绩' }),
    el('img', { className: 'share__image', id: 'share-image', src: image, alt: `分享卡片：答对 ${card.correct}/${card.total} 题，获得 ${card.points} 分，${card.day}，附本站二维码` }),
    el('p', { className: 'card__lead', text: '长按图片保存到手机，或点击下方按钮下载。' }),
    el('a', { className: 'btn btn--accent btn--block', id: 'share-save', href: image, download: `安全力-${card.day}.png`, text: '保存图片' }),
    close));
  dialog.showModal();
  close.focus();
  return dialog;
}
