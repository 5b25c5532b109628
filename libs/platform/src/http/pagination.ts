import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type as ToType } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { FindManyOptions, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';

/** The last page a list accepts: page × limit stays far inside Postgres' OFFSET range (a bigger one was a 500). */
export const MAX_PAGE = 10_000_000;

export class PaginationQueryDto {
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
  limit = 20;
}

export class PaginationMetaDto {
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) limit: number;
  @ApiProperty({ example: 45 }) total: number;
  @ApiProperty({ example: 3 }) pages: number;
}

export interface Paginated<T> {
  data: T[];
  pagination: PaginationMetaDto;
}

export function paginate<T>(data: T[], total: number, query: { page: number; limit: number }): Paginated<T> {
  return {
    data,
    pagination: { page: query.page, limit: query.limit, total, pages: Math.ceil(total / query.limit) },
  };
}

export const skipOf = (query: { page: number; limit: number }) => (query.page - 1) * query.limit;

/** Documents a `{ data: Item[], pagination }` answer. */
export function ApiPaginatedResponse(item: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(PaginationMetaDto, item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['data', 'pagination'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          pagination: { $ref: getSchemaPath(PaginationMetaDto) },
        },
      },
    }),
  );
}

/**
 * One page and the total, queried in parallel on two pool connections (TypeORM's findAndCount and
 * getManyAndCount run them one after the other).
 */
export function findPage<E extends ObjectLiteral>(
  repository: Repository<E>,
  options: FindManyOptions<E>,
  query: { page: number; limit: number },
): Promise<[E[], number]> {
  return Promise.all([
    repository.find({ ...options, skip: skipOf(query), take: query.limit }),
    repository.count({ where: options.where }),
  ]);
}

export function queryPage<E extends ObjectLiteral>(
  builder: SelectQueryBuilder<E>,
  query: { page: number; limit: number },
): Promise<[E[], number]> {
  return Promise.all([builder.clone().skip(skipOf(query)).take(query.limit).getMany(), builder.clone().getCount()]);
}

/** An ILIKE pattern that matches `text` anywhere, with the caller's `%`, `_` and `\` taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The `:id` path parameter of every record route: a UUID, else 400 with `field: id`. */
export class IdParamDto {
  @ApiProperty({ format: 'uuid', description: 'The record id' })
  @IsUUID()
  id: string;
}
