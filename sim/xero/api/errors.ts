// Xero's error bodies. Validation failures are HTTP 400:
// {"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred","Elements":[{...,"ValidationErrors":[{"Message":"..."}]}]}
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { newId } from '../ids.js';

export class XeroError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.Message === 'string' ? body.Message : typeof body.Detail === 'string' ? body.Detail : 'error');
  }
}

export function validationException(elements: Record<string, unknown>[]): XeroError {
  return new XeroError(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: elements });
}

/** A single-message validation failure that is not about one element of a batch. */
export function validationMessage(message: string, element: Record<string, unknown> = {}): XeroError {
  return validationException([{ ...element, ValidationErrors: [{ Message: message }] }]);
}

export function notFound(what: string): XeroError {
  return new XeroError(404, { Title: 'Not Found', Status: 404, Detail: `${what} could not be found` });
}

export function postDataInvalid(message: string): XeroError {
  return new XeroError(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: message });
}

export function queryParseError(message: string): XeroError {
  return new XeroError(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message });
}

export function problem(c: Context, status: 401 | 403 | 409 | 429 | 500 | 503, title: string, detail: string) {
  return c.json({ Type: null, Title: title, Status: status, Detail: detail, Instance: newId(), Extensions: {} }, status);
}

export function unauthorized(c: Context) {
  return problem(c, 401, 'Unauthorized', 'AuthenticationUnsuccessful');
}

export function forbidden(c: Context) {
  return problem(c, 403, 'Forbidden', 'AuthorizationUnsuccessful');
}
