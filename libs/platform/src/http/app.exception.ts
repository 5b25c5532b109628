import { HttpStatus } from '@nestjs/common';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/** A domain error with a stable machine-readable code; the one filter maps it to the error shape. */
export class AppException extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new AppException(HttpStatus.NOT_FOUND, code, message);
export const conflict = (code: string, message: string, details: ErrorDetail[] = []) =>
  new AppException(HttpStatus.CONFLICT, code, message, details);
export const badRequest = (code: string, message: string, details: ErrorDetail[] = []) =>
  new AppException(HttpStatus.BAD_REQUEST, code, message, details);
export const unauthorized = (code: string, message: string) => new AppException(HttpStatus.UNAUTHORIZED, code, message);
export const forbidden = (code: string, message: string, details: ErrorDetail[] = []) =>
  new AppException(HttpStatus.FORBIDDEN, code, message, details);
export const serviceUnavailable = (code: string, message: string) =>
  new AppException(HttpStatus.SERVICE_UNAVAILABLE, code, message);
export const badGateway = (code: string, message: string) => new AppException(HttpStatus.BAD_GATEWAY, code, message);
export const gatewayTimeout = (code: string, message: string) =>
  new AppException(HttpStatus.GATEWAY_TIMEOUT, code, message);
/** Any other status: prefer the named helpers above when one fits. */
export const appError = (status: HttpStatus, code: string, message: string, details: ErrorDetail[] = []) =>
  new AppException(status, code, message, details);
