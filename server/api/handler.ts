import 'server-only';
import type { ApiErrorBody } from '@/lib/api/types';
import { ApiError } from './errors';

type Handler<P> = (request: Request, params: P) => Promise<unknown>;

function errorResponse(
  code: ApiErrorBody['error']['code'],
  message: string,
  status: number,
  fields?: string[],
): Response {
  const body: ApiErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * Wraps a route handler: awaits the route params, turns the result into JSON and every error into the one envelope.
 * Unknown errors answer a generic 500; their detail goes to the server log only.
 */
export function route<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const result = await handler(request, await context.params);
      if (result instanceof Response) return result;
      return Response.json(result, { headers: { 'cache-control': 'no-store' } });
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err.code, err.message, err.status, err.fields);
      console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, err);
      return errorResponse('internal', 'internal error; see the server log', 500);
    }
  };
}
