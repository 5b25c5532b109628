import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppException } from './app.exception';
import { createValidationPipe, memoiseValidationRules, validateInput } from './validation';

class Page {
  @IsInt() @Min(1) page!: number;
}

class Search extends Page {
  @IsString() @MaxLength(5) q!: string;
}

async function fieldsAtFault(type: new () => object, plain: object): Promise<string[]> {
  try {
    await validateInput(type, plain);
    return [];
  } catch (error) {
    return (error as AppException).details.map((d) => `${d.field}: ${d.message}`);
  }
}

describe('memoiseValidationRules', () => {
  const cases: [new () => object, object][] = [
    [Page, { page: 0 }],
    [Search, { page: 2, q: 'far too long' }],
    [Search, { page: 2, q: 'ok', extra: 1 }],
    [Search, { page: 1, q: 'ok' }],
  ];

  it('answers what class-validator answers without it, including inherited and unknown fields', async () => {
    const before = await Promise.all(cases.map(([type, plain]) => fieldsAtFault(type, plain)));
    memoiseValidationRules();
    const after = await Promise.all(cases.map(([type, plain]) => fieldsAtFault(type, plain)));
    expect(after).toEqual(before);
    expect(after[1]).toEqual(['q: q must be shorter than or equal to 5 characters']);
    expect(after[2]).toEqual(['extra: property extra should not exist']);
    expect(after[3]).toEqual([]);
  });

  it('sees a class declared later, and a rule added to a parent after its child was validated', async () => {
    memoiseValidationRules();
    class Later extends Search {
      @IsInt() size!: number;
    }
    expect(await fieldsAtFault(Later, { page: 1, q: 'ok', size: 'x' })).toEqual([
      'size: size must be an integer number',
    ]);
    expect(await fieldsAtFault(Later, { page: 1, q: 'ok', size: 3 })).toEqual([]);
    Max(2)(Page.prototype, 'page');
    expect(await fieldsAtFault(Later, { page: 3, q: 'ok', size: 3 })).toEqual([
      'page: page must not be greater than 2',
    ]);
  });
});

describe('the global pipe on query DTOs', () => {
  class ListQuery {
    @Type(() => Number) @IsInt() @Min(1) @Max(100) limit = 20;
    @IsOptional() @IsString() @MaxLength(5) q?: string;
    @IsOptional() @IsString({ each: true }) tags?: string[];
  }
  const pipe = createValidationPipe();
  const asQuery = (value: object, metatype: new () => object = ListQuery) =>
    pipe.transform(value, { type: 'query', metatype }) as Promise<ListQuery>;
  const refusal = (value: object) =>
    asQuery(value).then(
      () => [],
      (error: AppException) => error.details.map((d) => d.field),
    );

  it('answers a query it accepted before with the same DTO, a fresh instance each time', async () => {
    const first = await asQuery({ limit: '30', tags: ['a', 'b'] });
    first.tags!.push('changed by a handler');
    first.q = 'set';
    const second = await asQuery({ limit: '30', tags: ['a', 'b'] });
    expect(second).toBeInstanceOf(ListQuery);
    expect(second).not.toBe(first);
    expect({ ...second }).toEqual({ limit: 30, tags: ['a', 'b'] });
  });

  it('refuses a refused query every time, and tells a different query apart', async () => {
    for (let i = 0; i < 2; i++) expect(await refusal({ limit: '0' })).toEqual(['limit']);
    expect(await refusal({ limit: '20', q: 'far too long' })).toEqual(['q']);
    expect(await refusal({ limit: '20', other: 'x' })).toEqual(['other']);
    expect(await refusal({ limit: '20' })).toEqual([]);
  });

  it('sees a rule added after a query was accepted', async () => {
    expect(await refusal({ limit: '50' })).toEqual([]);
    Max(40)(ListQuery.prototype, 'limit');
    expect(await refusal({ limit: '50' })).toEqual(['limit']);
  });
});
