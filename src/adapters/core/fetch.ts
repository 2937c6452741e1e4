import { formatDuration } from '../../util/duration';

/** Bodies are read up to this many bytes; the rest is dropped (a health endpoint is small). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export type HttpResult =
  | { readonly type: 'response'; readonly status: number; readonly statusText: string; readonly headers: Readonly<Record<string, string>>; readonly body: string; readonly truncated: boolean }
  /** The request took longer than its own timeout. */
  | { readonly type: 'request-timeout'; readonly message: string }
  /** The step's signal aborted (step timeout, Ctrl-C). */
  | { readonly type: 'aborted' }
  | { readonly type: 'connection-error'; readonly kind: string; readonly message: string };

/** One request with global fetch; every way it can end is a value. */
export async function sendRequest(request: HttpRequest, signal: AbortSignal): Promise<HttpResult> {
  if (signal.aborted) return { type: 'aborted' };
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: combined,
      redirect: 'follow',
    });
    const { body, truncated } = await readBounded(response);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { type: 'response', status: response.status, statusText: response.statusText, headers, body, truncated };
  } catch (error) {
    if (signal.aborted) return { type: 'aborted' };
    if (timeout.aborted) return { type: 'request-timeout', message: `no answer from ${request.method} ${hostOf(request.url)} within ${formatDuration(request.timeoutMs)}` };
    return connectionError(error, request);
  }
}

async function readBounded(response: Response): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > MAX_BODY_BYTES) {
      chunks.push(value.subarray(0, MAX_BODY_BYTES - size));
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated };
}

const CONNECTION_HINTS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there; is the service up and the port right?',
  ENOTFOUND: 'host not found: check the host name in the URL',
  EAI_AGAIN: 'host name lookup failed (DNS); check the name and the network',
  ECONNRESET: 'the connection was reset by the other side',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable from here',
  CERT_HAS_EXPIRED: 'the server\'s TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server\'s TLS certificate is self-signed',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
};

function connectionError(error: unknown, request: HttpRequest): HttpResult {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  const detail = error instanceof Error && error.message === 'Failed to parse URL' ? 'the URL is not valid' : code ? (CONNECTION_HINTS[code] ?? code) : cause instanceof Error ? cause.message : String(cause);
  return { type: 'connection-error', kind: code ?? 'fetch-error', message: `${request.method} ${hostOf(request.url)}: ${detail}` };
}

/** scheme://host:port of a URL, for messages that must not leak a path or query holding a token. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return url;
  }
}
