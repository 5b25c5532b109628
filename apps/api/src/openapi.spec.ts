import document from '../../../libs/api-client/openapi.json';

// A parameter without a type makes Swagger UI's "Try it out" refuse to send it and other generators guess.
describe('committed OpenAPI document', () => {
  const parameters = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, op]) =>
      ((op?.parameters ?? []) as any[]).map((parameter) => ({ where: `${method.toUpperCase()} ${path}`, parameter })),
    ),
  );

  it('has parameters to check', () => expect(parameters.length).toBeGreaterThan(50));

  it('gives every parameter a typed schema', () => {
    const untyped = parameters
      .filter(({ parameter: { schema } }) => !schema || !(schema.type || schema.$ref || schema.enum))
      .map(({ where, parameter }) => `${where} ${parameter.in}:${parameter.name}`);
    expect(untyped).toEqual([]);
  });
});
