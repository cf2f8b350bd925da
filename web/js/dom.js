// Small DOM helpers. Text from the server is only ever set through textContent (via `text` or
// string children), never parsed as HTML.

// el('button', { className: 'btn', text: '登录', attrs: { type: 'button' }, on: { click } }, ...children)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  applyProps(node, props);
  append(node, children);
  return node;
}

// The same for SVG elements.
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function applyProps(node, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'className') node.className = value;
    else if (key === 'attrs') {
      for (const [name, v] of Object.entries(value)) {
        if (v === true) node.setAttribute(name, '');
        else if (v !== false && v !== undefined && v !== null) node.setAttribute(name, String(v));
      }
    } else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else node[key] = value; // plain properties: hidden, disabled, value, type, id, href …
  }
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function setText(node, text) {
  node.textContent = text == null ? '' : String(text);
  return node;
}

// Marks a button as working: disabled, aria-busy and a temporary label.
export function setBusy(button, busy, busyLabel) {
  if (!button) return;
  if (busy) {
    if (button.dataset.idleLabel === undefined) button.dataset.idleLabel = button.textContent;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    if (busyLabel) button.textContent = busyLabel;
  } else {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (button.dataset.idleLabel !== undefined) {
      button.textContent = button.dataset.idleLabel;
      delete button.dataset.idleLabel;
    }
  }
}

// Shows a message in a notice box (role=alert or status set in the HTML); empty text hides it.
export function showNotice(box, text, kind = 'error') {
  if (!box) return;
  box.classList.remove('notice--error', 'notice--info', 'notice--success', 'notice--warn');
  if (!text) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.classList.add(`notice--${kind}`);
  box.textContent = text;
  box.hidden = false;
}

// A centred "loading" row for lists and tables.
export function loadingRow(text = '正在加载…') {
  return el('p', { className: 'loading', attrs: { role: 'status' } }, el('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }), text);
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
