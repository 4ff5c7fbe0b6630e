// One error shape for the whole API ({statusCode, error, message, code?}) and messages a person can act on.
import type { FastifyError, FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const MESSAGES: Record<string, (e: FastifyError) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'request body too large: send fewer records per push',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'send JSON (Content-Type: application/json)',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the JSON body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: () => 'the body is not valid JSON',
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err instanceof HttpError ? err.statusCode : (err.statusCode ?? 500);
    let message = err.message;
    if (err.validation) message = `invalid request: ${err.message}`;
    else if (err.code && MESSAGES[err.code]) message = MESSAGES[err.code](err);
    else if (err instanceof SyntaxError && status === 400) message = 'the body is not valid JSON';
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      message = 'internal error';
    }
    void reply.status(status).send({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, code: err.code });
  });
}
