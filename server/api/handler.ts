import 'server-only';
import type { z } from 'zod';
import type { ApiErrorBody, AuditEntry } from '@/lib/api/types';
import { type Access, allows, type Principal, principalLabel } from '@/lib/auth/access';
import { cappedIssues, rejectedBody, rejectedReason, schemaKeys } from '../audit/bounds';
import { audit, auditRefusal } from '../audit/log';
import { submittedSecrets } from '../audit/redact';
import { sameOrigin } from '../auth/origin';
import { metricsBearerMatches, principalOf, renewedKioskCookie } from '../auth/session';
import { currentConfig } from '../collect/pollers';
import { readBodyText } from '../http/body';
import { logMisdirected, misdirectedReason } from '../http/misdirected';
import { hostIsAllowed, requestNetwork } from '../http/requestNetwork';
import { SentinelDeploymentError } from '../sentinel/errors';
import { ApiError, OperationConflictError } from './errors';

export interface RouteContext<P, B> {
  request: Request;
  params: P;
  principal: Principal | undefined;
  body: B;
  /** Fill in what the audit line should say about this call (cluster, targets, params). */
  auditDetails: Partial<Pick<AuditEntry, 'user' | 'role' | 'cluster' | 'targets' | 'params'>>;
}

export interface RouteOptions<P, B> {
  /** Who may call. Checked here, inside the handler, never only in middleware. */
  access: Access;
  /** Audit action name; every non-GET call is audited under it, allowed or refused. */
  action?: string;
  /** zod schema for the JSON body of a mutation. */
  body?: z.ZodType<B>;
  /** Also accept "Authorization: Bearer <metricsToken>" instead of a session (the Prometheus scrape). */
  metricsBearer?: boolean;
  /** The typed confirmation a destructive call must carry in body.confirm (e.g. the cluster name). */
  confirmation?: (params: P, body: B) => { expected: string; what: string };
}

const READS = new Set(['GET', 'HEAD']);

function errorResponse(err: ApiError): Response {
  const body: ApiErrorBody = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
      ...(err instanceof OperationConflictError ? { job: err.job } : {}),
    },
  };
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (err.retryAfterSeconds) headers['retry-after'] = String(err.retryAfterSeconds);
  return Response.json(body, { status: err.status, headers });
}

function toResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
}

async function readJson(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'request body is not valid JSON');
  }
}

/** The wall polls its snapshot through here, so a kiosk session is renewed on the way (see renewedKioskCookie). */
function withKioskRenewal(request: Request, response: Response): Response {
  const cookie = renewedKioskCookie(request);
  if (!cookie) return response;
  const headers = new Headers(response.headers);
  headers.append('set-cookie', cookie);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The socket peer, or the client a trusted proxy names in X-Forwarded-For; "unknown" without the front entry. */
export function clientIp(request: Request): string {
  return requestNetwork(request, currentConfig()).client;
}

/**
 * Every route handler goes through here: Host check (421), origin check (mutations), session, role, read-only switch,
 * body schema (413 over 64 KiB), typed confirmation, then the handler; one error envelope; one audit line per
 * mutation attempt.
 */
export function route<P extends Record<string, string> = Record<string, never>, B = undefined>(
  options: RouteOptions<P, B>,
  handler: (ctx: RouteContext<P, B>) => Promise<unknown>,
) {
  return async (request: Request, context?: { params?: Promise<P> }): Promise<Response> => {
    const started = Date.now();
    const mutation = !READS.has(request.method);
    let principal: Principal | undefined;
    const details: RouteContext<P, B>['auditDetails'] = {};
    let response: Response;
    let failure: { result: 'refused' | 'failed'; reason: string } | undefined;
    // A refused body is recorded by counts and known field names only; its secrets are redacted wherever they appear.
    let auditReason: string | undefined;
    let submitted: string[] = [];
    try {
      // Routes without dynamic segments get no params at all.
      const params = ((await context?.params) ?? {}) as P;
      if (typeof params.id === 'string') details.cluster = params.id;
      const config = currentConfig();
      const network = requestNetwork(request, config);
      if (!hostIsAllowed(network, config)) {
        logMisdirected(network.host);
        throw new ApiError('misdirected', misdirectedReason(network.host));
      }
      principal = principalOf(request);
      const scrape = !principal && options.metricsBearer === true && metricsBearerMatches(request);
      if (mutation && !sameOrigin(request, network, config)) {
        throw new ApiError('forbidden', 'cross-origin or Origin-less request refused');
      }
      if (options.access !== 'public' && !principal && !scrape) throw new ApiError('unauthenticated', 'log in first');
      if (!scrape && !allows(principal, options.access))
        throw new ApiError('forbidden', `this needs the ${options.access} role`);
      if (mutation && options.access !== 'public' && config.readOnly) {
        throw new ApiError('read_only', 'the dashboard runs read-only (DASHBOARD_READ_ONLY): no changes are made');
      }
      let body = undefined as B;
      if (options.body) {
        const raw = await readJson(request);
        submitted = submittedSecrets(raw);
        const parsed = options.body.safeParse(raw);
        if (!parsed.success) {
          const rejected = rejectedBody(raw, parsed.error.issues, schemaKeys(options.body));
          details.params = { ...rejected };
          auditReason = rejectedReason(rejected);
          const { message, fields } = cappedIssues(parsed.error.issues);
          throw new ApiError('bad_request', message, fields);
        }
        body = parsed.data;
        // Validated: only the schema's own fields are left (auditLine caps and redacts them).
        if (typeof body === 'object' && body !== null && !Array.isArray(body))
          details.params = body as Record<string, unknown>;
      }
      if (options.confirmation) {
        const { expected, what } = options.confirmation(params, body);
        const given = (body as { confirm?: unknown } | undefined)?.confirm;
        if (given !== expected) throw new ApiError('confirmation_required', `type ${what} exactly to confirm`);
      }
      response = toResponse(await handler({ request, params, principal, body, auditDetails: details }));
    } catch (err) {
      if (err instanceof ApiError) {
        const named = err instanceof SentinelDeploymentError ? err.at(new URL(request.url).pathname) : err;
        response = errorResponse(named);
        failure = { result: named.status >= 500 ? 'failed' : 'refused', reason: named.message };
      } else {
        console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, err);
        response = errorResponse(new ApiError('internal', 'internal error; see the server log'));
        failure = { result: 'failed', reason: 'internal error' };
      }
    }
    if (principal?.kind === 'kiosk' && allows(principal, options.access))
      response = withKioskRenewal(request, response);
    if (mutation && options.action) {
      // Every line of a caller that is not a logged-in user (no session, or a kiosk screen), except a login that
      // succeeded, is rate-limited per client: neither a flood of refusals nor of session-less logouts can grow the
      // log fast enough to rotate its history away.
      const budgeted = principal?.kind !== 'user' && !(options.action === 'auth.login' && !failure);
      const write = budgeted ? auditRefusal : audit;
      await write(
        {
          ...principalLabel(principal),
          action: options.action,
          result: failure?.result ?? 'ok',
          status: response.status,
          ...details,
          ...(failure ? { reason: auditReason ?? failure.reason } : {}),
          durationMs: Date.now() - started,
          ip: clientIp(request),
        },
        { secrets: submitted },
      );
    }
    return response;
  };
}
