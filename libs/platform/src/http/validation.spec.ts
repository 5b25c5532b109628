import 'reflect-metadata';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppException } from './app.exception';
import { memoiseValidationRules, validateInput } from './validation';

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
