// Typed calls to our API with the session's bearer token. A 401 that says the
// session expired is renewed once and retried; every other error arrives as a
// PodApiError whose message is ready to show.
import type { PodConfig } from '../../shared/api.js';
import type { PodSession } from './session.js';
import { PodApiError, answerOf, requestJson, type AnswerCheck } from './http.js';

/** `api<Answer>(path, init)`: the answer typed as the server's schema in shared/ (checked there); a check is optional. */
export type Api = <T>(path: string, init: RequestInit, check?: AnswerCheck<T>) => Promise<T>;

export function createApi(config: PodConfig, session: PodSession): Api {
  return async function api<T>(path: string, init: RequestInit, check?: AnswerCheck<T>): Promise<T> {
    // The surface's first read of this path came with the sign-in (the same route answered it with this session's token).
    const first = (init.method ?? 'GET') === 'GET' ? session.takeFirst?.(path) : undefined;
    if (first) return answerOf(first.status, '', first.body, check);
    const call = async () =>
      requestJson(`${config.apiBase}${path}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${await session.token()}` } }, check);
    try {
      return await call();
    } catch (err) {
      if (err instanceof PodApiError && err.status === 401 && (err.code === 'session_expired' || err.code === 'no_session')) {
        await session.renew();
        return call();
      }
      throw err;
    }
  };
}
