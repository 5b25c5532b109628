import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { applyDecorators, Injectable, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AppConfig } from '../config/config.service';
import { badRequest } from './app.exception';
import { PaginationQueryDto } from './pagination';

/** A cursor's values: the sort key(s) of the row it points at, the id last. */
export type CursorValues = (string | number | null)[];

export interface CursorPosition {
  /** 'next': rows after the position; 'prev': rows before it (the page before). */
  direction: 'next' | 'prev';
  values: CursorValues;
}

const MAX_CURSOR_LENGTH = 1024;
const invalidCursor = () =>
  badRequest('INVALID_CURSOR', 'The cursor is malformed, was tampered with, or belongs to another list', [
    { field: 'cursor', message: 'Use a nextCursor or prevCursor this list returned' },
  ]);

/**
 * Opaque, signed page positions. The signature covers the list's scope (the workspace, the route and its sort),
 * so a cursor copied from another workspace, another list or another sort is refused with 400 instead of
 * seeking somewhere meaningless (or, worse, somewhere in another tenant's rows).
 */
@Injectable()
export class CursorCodec {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.env.JWT_SECRET, 'crescendo', 'list-cursor', 32));
  }

  encode(scope: string, position: CursorPosition): string {
    const body = Buffer.from(JSON.stringify([position.direction === 'prev' ? 'p' : 'n', ...position.values]));
    return `${body.toString('base64url')}.${this.sign(scope, body).toString('base64url')}`;
  }

  decode(scope: string, cursor: string): CursorPosition {
    const [encodedBody, encodedSignature, extra] = cursor.split('.');
    if (!encodedBody || !encodedSignature || extra !== undefined) throw invalidCursor();
    const body = Buffer.from(encodedBody, 'base64url');
    const signature = Buffer.from(encodedSignature, 'base64url');
    const expected = this.sign(scope, body);
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw invalidCursor();
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!Array.isArray(parsed) || (parsed[0] !== 'n' && parsed[0] !== 'p')) throw invalidCursor();
    return { direction: parsed[0] === 'p' ? 'prev' : 'next', values: parsed.slice(1) as CursorValues };
  }

  private sign(scope: string, body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(scope).update('\0').update(body).digest().subarray(0, 16);
  }
}

/** `page`/`limit` (the documented contract) plus an optional cursor that, when given, wins over `page`. */
export class CursorPaginationQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    type: String,
    description:
      'Opaque position from a previous answer’s nextCursor or prevCursor; when given, page is ignored. ' +
      'A cursor from another workspace, list or sort, or an altered one, is a 400 INVALID_CURSOR.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  @Matches(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;
}

/** Page metadata of a cursor-capable list, beside the page-number fields clients already read. */
export class CursorPaginationMetaDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 1,
    description: 'The page asked for; null when paging by cursor',
  })
  page: number | null;
  @ApiProperty({ example: 20 }) limit: number;
  @ApiProperty({
    example: 45,
    description: 'Rows matching the filters: exact up to EXACT_TOTAL_CAP (10 000), beyond it the planner’s estimate',
  })
  total: number;
  @ApiProperty({ example: 3 }) pages: number;
  @ApiProperty({ example: false, description: 'true when total is an estimate (more than 10 000 rows match)' })
  totalIsEstimate: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last page' })
  nextCursor: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the page before; null on the first page' })
  prevCursor: string | null;
}

export interface CursorPaginated<T> {
  data: T[];
  pagination: CursorPaginationMetaDto;
}

/** Documents a `{ data: Item[], pagination }` answer whose pagination also carries cursors. */
export function ApiCursorPaginatedResponse(item: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(CursorPaginationMetaDto, item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['data', 'pagination'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          pagination: { $ref: getSchemaPath(CursorPaginationMetaDto) },
        },
      },
    }),
  );
}
