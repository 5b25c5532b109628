// Loads .ts files through esbuild for the bench's export child: ts-node keeps the TypeScript compiler in
// memory (≈ 150 MB), which would drown the exporter's own RSS. No decorator metadata: the child builds
// its objects by hand, without Nest's injector.
const { readFileSync } = require('node:fs');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  });
  module._compile(code, filename);
};
