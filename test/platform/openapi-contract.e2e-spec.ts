import { OpenApiContract } from '../helpers/openapi-contract';

// The contract check every e2e spec relies on must itself catch what it is meant to catch.
describe('OpenApiContract', () => {
  const document: any = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/things/{id}': {
        get: {
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            '404': {
              content: { 'application/json': { schema: { type: 'object', properties: { code: { type: 'string' } } } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string' }, note: { type: 'string', nullable: true } },
        },
      },
    },
  };

  it('accepts a documented answer, including a null where nullable', () => {
    const contract = new OpenApiContract(document);
    contract.check('GET', '/api/things/:id', 200, 'application/json', JSON.stringify({ id: 'a', note: null }));
    contract.check('GET', '/api/things/:id', 404, 'application/json; charset=utf-8', JSON.stringify({ code: 'X' }));
    expect(contract.violations).toEqual([]);
  });

  it('reports an undocumented field, a missing field, a wrong type and an undocumented status', () => {
    const contract = new OpenApiContract(document);
    contract.check('GET', '/api/things/:id', 200, 'application/json', JSON.stringify({ id: 'a', secret: 'x' }));
    contract.check('GET', '/api/things/:id', 200, 'application/json', JSON.stringify({ note: 'n' }));
    contract.check('GET', '/api/things/:id', 200, 'application/json', JSON.stringify({ id: 5 }));
    contract.check('GET', '/api/things/:id', 409, 'application/json', JSON.stringify({ code: 'X' }));
    expect(contract.violations).toEqual([
      expect.stringMatching(/additional properties/),
      expect.stringMatching(/must have required property 'id'/),
      expect.stringMatching(/must be string/),
      'GET /api/things/{id} → 409: status not documented',
    ]);
  });
});
