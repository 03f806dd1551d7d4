/**
 * HTTP for the verifier: requests to the learner's server (no keep-alive, so nothing lingers
 * after a verification), and a free port to give it.
 */
import http from 'node:http';

export type HttpResult =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly contentType: string; readonly ms: number }
  | { readonly kind: 'error'; readonly message: string };

export interface HttpRequest {
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly timeoutMs?: number;
}

/** A program's answer may wait on Redis and a slow database; a loaded machine must not fail it. */
const REQUEST_TIMEOUT_MS = 10_000;

export function request(req: HttpRequest): Promise<HttpResult> {
  const started = Date.now();
  const timeout = req.timeoutMs ?? REQUEST_TIMEOUT_MS;
  return new Promise((resolve) => {
    const headers: Record<string, string> = { connection: 'close' };
    if (req.body !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(req.body));
    }
    const r = http.request({ host: '127.0.0.1', port: req.port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        kind: 'response',
        status: res.statusCode ?? 0,
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: String(res.headers['content-type'] ?? ''),
        ms: Date.now() - started,
      }));
      res.on('error', (e) => resolve({ kind: 'error', message: e.message }));
    });
    r.setTimeout(timeout, () => {
      r.destroy(new Error(`no answer within ${timeout / 1000} s`));
    });
    r.on('error', (e) => resolve({ kind: 'error', message: e.message }));
    r.end(req.body);
  });
}

/** A short, one-line form of a response body for a verdict. */
export function shown(body: string, max = 120): string {
  const one = body.replace(/\s+/g, ' ').trim();
  if (one === '') return '(an empty body)';
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
