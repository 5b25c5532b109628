import { checkJsonSchema } from './json-schema-check';

describe('checkJsonSchema', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      score: { type: 'integer', minimum: 0, maximum: 100 },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
      note: { type: ['string', 'null'] },
    },
    required: ['name', 'score'],
    additionalProperties: false,
  };

  it('accepts a fitting value', () => {
    expect(checkJsonSchema({ name: 'x', score: 5, tags: ['a'], note: null }, schema)).toEqual([]);
  });

  it('names every problem with its path', () => {
    expect(checkJsonSchema({ name: '', score: 5.5, tags: ['c'], extra: 1 }, schema)).toEqual([
      '$.name must have at least 1 characters',
      '$.score must be integer',
      '$.tags[0] must be one of ["a","b"]',
      '$.extra is not allowed',
    ]);
    expect(checkJsonSchema({ score: 500 }, schema)).toEqual(['$.name is required', '$.score must be <= 100']);
    expect(checkJsonSchema([], schema)).toEqual(['$ must be object']);
    expect(checkJsonSchema(['a'], { type: 'array', minItems: 2 })).toEqual(['$ must have at least 2 items']);
    expect(checkJsonSchema([1, 2, 3], { type: 'array', maxItems: 2 })).toEqual(['$ must have at most 2 items']);
    expect(checkJsonSchema([1, 2], { type: 'array', minItems: 2, maxItems: 2 })).toEqual([]);
  });
});
