// Turns every error into the shape of docs/api.md "Errors": {"error":{"code","message"}}. Known
// framework errors (bad JSON, oversized body, wrong content type, schema violations) keep their 4xx
// status; a database that is busy, full, read-only or unreachable (db/storage-errors.ts) becomes
// 503 (the change was rolled back); anything else is logged without the request body and answered
// 500 with no detail.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { storageUnavailableCode } from '../db/storage-errors.js';
import { ApiError, errors, type ErrorBody } from './api-error.js';

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  const body: ErrorBody = { error: { code: error.code, message: error.message, ...error.details } };
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body);
}

/** The error shape (docs/api.md "Errors") for any error: the route error handler, also used for framework errors. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) return sendError(reply, error);
  if (error.validation) return sendError(reply, errors.invalidRequest(describeValidation(error)));
  const storageCode = storageUnavailableCode(error);
  if (storageCode !== null) {
    request.log.error({ code: storageCode }, 'storage unavailable');
    return sendError(reply, errors.storageUnavailable());
  }
  const known = frameworkError(error);
  if (known) return sendError(reply, known);
  request.log.error({ err: { message: error.message, stack: error.stack } }, 'unhandled error');
  return sendError(reply, new ApiError(500, 'internal_error'));
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(handleError);

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new ApiError(404, 'not_found', `There is no ${request.method} ${request.url.split('?')[0]} in this API.`),
    ),
  );
}

function frameworkError(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.invalidRequest('The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.invalidRequest('The request body is not valid JSON.');
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return new ApiError(error.statusCode, 'invalid_request');
      }
      return undefined;
  }
}

/** One sentence from Ajv's first error, e.g. "The field "code" must be a string." */
function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return 'The request body does not match what this endpoint takes.';
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const params = first.params as Record<string, unknown>;
  switch (first.keyword) {
    case 'additionalProperties':
      return `The field "${String(params.additionalProperty)}" is not accepted here; remove it.`;
    case 'required':
      return `The field "${String(params.missingProperty)}" is required.`;
    case 'type':
      return path
        ? `The field "${path}" must be ${article(String(params.type))}.`
        : `The request body must be ${article(String(params.type))}.`;
    case 'maxLength':
      return `The field "${path}" is too long (at most ${String(params.limit)} characters).`;
    case 'minLength':
      return `The field "${path}" is too short (at least ${String(params.limit)} characters).`;
    default:
      return path
        ? `The field "${path}" is not valid: it ${first.message ?? 'does not match'}.`
        : `The request body ${first.message ?? 'is not valid'}.`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
