import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as ToType } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { CursorPaginationMetaDto } from './cursor';
import { MAX_PAGE } from './pagination';

/**
 * The creator routes (`/api/onlyfans/*`, …) keep their documented contract: they page with `page` + `pageSize` and answer
 * `{success: true, data, metadata}` instead of the house `{data, pagination}`.
 */
export class PageSizeQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @ToType(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @ToType(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}

export class PageMetadataDto {
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) pageSize: number;
  @ApiProperty({ example: 45 }) total: number;
  @ApiProperty({ example: 3 }) totalPages: number;
}

export const pageMetadata = (total: number, query: { page: number; pageSize: number }): PageMetadataDto => ({
  page: query.page,
  pageSize: query.pageSize,
  total,
  totalPages: Math.ceil(total / query.pageSize),
});

/** The `{page, limit}` that queryPage/findPage/skipOf take. */
export const asLimitPage = (query: { page: number; pageSize: number }) => ({ page: query.page, limit: query.pageSize });

/**
 * The documented `page`/`pageSize` plus an optional cursor (wins over `page`): the documented query keeps working,
 * and a client that follows `metadata.nextCursor` seeks instead of scanning every row before a deep page.
 */
export class CursorPageSizeQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({
    type: String,
    description:
      'Opaque position from a previous answer’s metadata.nextCursor or prevCursor; when given, page is ignored. ' +
      'A cursor from another workspace, list or sort, or an altered one, is a 400 INVALID_CURSOR.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @Matches(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;
}

/** The documented `metadata` with the cursor fields added beside it (the documented fields keep their meaning). */
export class CursorPageMetadataDto extends PageMetadataDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 1,
    description: 'The page asked for; null when paging by cursor',
  })
  declare page: number;
  @ApiProperty({ example: 45, description: 'Exact up to 10 000 rows, beyond it the planner’s estimate' })
  declare total: number;
  @ApiProperty({ example: false, description: 'true when total is an estimate (more than 10 000 rows match)' })
  totalIsEstimate: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last page' })
  nextCursor: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the page before; null on the first page' })
  prevCursor: string | null;
}

/** The `ListPageRequest` (page, limit, cursor) of a `page`/`pageSize` query. */
export const pageSizeRequest = (query: { page: number; pageSize: number; cursor?: string }) => ({
  page: query.page,
  limit: query.pageSize,
  cursor: query.cursor,
});

/** A cursor-paged list's pagination in the `{success, data, metadata}` shape. */
export const cursorPageMetadata = (pagination: CursorPaginationMetaDto): CursorPageMetadataDto => ({
  page: pagination.page as number,
  pageSize: pagination.limit,
  total: pagination.total,
  totalPages: pagination.pages,
  totalIsEstimate: pagination.totalIsEstimate,
  nextCursor: pagination.nextCursor,
  prevCursor: pagination.prevCursor,
});
