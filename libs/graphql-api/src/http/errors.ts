// The body every non-GraphQL route refuses with, shaped like a GraphQL error so clients read one form.
import { HttpException } from '@nestjs/common';
import type { Response } from 'express';

export const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extra } }] });

/** For Nest controllers: throw it. */
export const refusal = (status: number, code: string, message: string): HttpException => new HttpException(errorBody(code, message), status);

/** For plain Express middleware: send it. */
export const sendRefusal = (res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response =>
  res.status(status).json(errorBody(code, message, extra));
