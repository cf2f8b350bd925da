// fetch wrapper for the anquanli API: JSON in and out, every failure turned into an ApiError
// whose message is the server's Chinese message (or a Chinese one of ours for network trouble).

export class ApiError extends Error {
  constructor(status, code, message, body = null, headers = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // 0 for network failures
    this.code = code;
    this.body = body;
    const retry = headers?.get?.('Retry-After');
    this.retryAfter = retry ? Number(retry) : null;
  }
}

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';

function fallbackMessage(status) {
  if (status >= 500) return `服务器暂时无法处理请求（${status}），请稍后再试`;
  if (status === 404) return '请求的内容不存在';
  if (status === 401) return '请先登录';
  return `请求失败（${status}）`;
}

async function send(path, { method = 'GET', body, token, signal, timing } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (timing) timing.sent = Date.now();
  let response;
  try {
    response = await fetch(path, {
      method, headers, signal, cache: 'no-store', credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', NETWORK_MESSAGE);
  }
  if (timing) timing.received = Date.now();
  return response;
}

async function errorFrom(response) {
  let data = null;
  try { data = await response.json(); } catch { /* not JSON */ }
  const code = data?.error?.code ?? 'http_error';
  const message = data?.error?.message ?? fallbackMessage(response.status);
  return new ApiError(response.status, code, message, data, response.headers);
}

// JSON call. Resolves to the parsed body (null for an empty one); rejects with ApiError.
export async function api(path, options = {}) {
  const response = await send(path, options);
  if (!response.ok) throw await errorFrom(response);
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'invalid_response', '服务器返回了无法识别的数据');
  }
}

// A download (CSV, XLSX, HTML …) as a Blob, with the file name from Content-Disposition.
export async function apiBlob(path, options = {}) {
  const response = await send(path, options);
  if (!response.ok) throw await errorFrom(response);
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob, filename: match ? decodeURIComponent(match[1]) : null, type: response.headers.get('Content-Type') };
}

// The message to show for any error thrown by api()/apiBlob() or by our own code.
export function errorMessage(error) {
  if (error instanceof ApiError) return error.message;
  return '出现了意外错误，请刷新页面后重试';
}

// A URL path with query parameters (empty values left out).
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
