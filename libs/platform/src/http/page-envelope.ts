import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as ToType } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE } from './pagination';

/**
 * Seed 000 routes (`/api/onlyfans/*`, …) page with `page` + `pageSize` and answer
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
