// What every request to the app's public port goes through first: the
// security headers on every answer (JSON included), a request id to match an
// answer with its log line, and two refusals that keep other web sites out.
// A port-forward on 127.0.0.1 (npm run demo -- --open) is reachable from any
// page in the browser through a name that resolves to 127.0.0.1 (DNS
// rebinding): such a request carries that name in Host, so only IP literals,
// localhost and the names the Pod is configured to answer to are served. And a
// page of another origin must not change state here: a POST whose Origin is
// not this Host is refused.
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

/** Same origin only, for everything; a page that cannot run injected code or be framed. */
export const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  res.locals.requestId = requestId;
  res.set({
    'Content-Security-Policy': PAGE_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Request-Id': requestId,
  });
  next();
}

/** The host name of a Host header or of an Origin's authority, without the port and the IPv6 brackets. */
export function hostName(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(1, authority.indexOf(']'));
  const colon = authority.lastIndexOf(':');
  return colon === -1 ? authority : authority.slice(0, colon);
}

export function hostAllowed(host: string | undefined, names: readonly string[]): boolean {
  if (!host) return false;
  const name = hostName(host).toLowerCase();
  return isIP(name) !== 0 || name === 'localhost' || names.includes(name);
}

export function guardHosts(names: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = req.get('host');
    if (!hostAllowed(host, names)) {
      res.status(421).json({
        error: `this Pod does not answer to ${JSON.stringify(host ?? '')}: use an IP address, localhost, or a name in ALLOWED_HOSTS`,
        reason: 'host_not_allowed',
      });
      return;
    }
    const origin = req.get('origin');
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin !== undefined && origin !== `${req.protocol}://${host}`) {
      res.status(403).json({ error: `a request from ${JSON.stringify(origin)} may not change anything here`, reason: 'cross_origin' });
      return;
    }
    next();
  };
}
