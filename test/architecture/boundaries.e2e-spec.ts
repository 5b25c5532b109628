import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The lint rules that keep features apart fail on planted imports, and pass on the allowed ones. */
describe('feature boundaries (npm run lint)', () => {
  // The real `eslint` binary with the repository's config (jest cannot load its ES module config in-process).
  const problems = async (filePath: string, code: string): Promise<string[]> => {
    let output: string;
    try {
      output = execFileSync(
        join(root, 'node_modules', '.bin', 'eslint'),
        ['--format', 'json', '--stdin', '--stdin-filename', filePath],
        {
          cwd: root,
          input: code,
          encoding: 'utf8',
        },
      );
    } catch (error) {
      output = (error as { stdout: string }).stdout; // exit code 1: problems were found
    }
    const [result] = JSON.parse(output) as { messages: { ruleId: string; message: string }[] }[];
    return result.messages
      .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
      .map((m) => m.message);
  };

  it("refuses another feature's entity or repository, and deep imports into a feature", async () => {
    expect(
      await problems('libs/campaigns/src/planted.service.ts', "export { LeadEntity } from '@crescendo/leads';\n"),
    ).toEqual([expect.stringContaining("Another feature's entities")]);
    expect(
      await problems('libs/campaigns/src/planted.service.ts', "export { LeadsRepository } from '@crescendo/leads';\n"),
    ).toHaveLength(1);
    expect(
      await problems(
        'libs/campaigns/src/planted.service.ts',
        "export { LeadsRepository } from '@crescendo/leads/src/leads.repository';\n",
      ),
    ).toHaveLength(2);
    expect(
      await problems(
        'libs/campaigns/src/planted.service.ts',
        "export { LeadEntity } from '../../leads/src/lead.entity';\n",
      ),
    ).toEqual([expect.stringContaining('through its barrel')]);
  });

  it('refuses a feature import in the platform', async () => {
    expect(
      await problems('libs/platform/src/planted.ts', "export { LeadsService } from '@crescendo/leads';\n"),
    ).toEqual([expect.stringContaining('libs/platform must not depend on a feature')]);
  });

  it("allows another feature's services and DTOs", async () => {
    expect(
      await problems('libs/campaigns/src/planted.service.ts', "export { LeadsService } from '@crescendo/leads';\n"),
    ).toEqual([]);
  });

  it("refuses another feature's entity in an entity too (a relation names it by string)", async () => {
    expect(
      await problems(
        'libs/campaigns/src/planted.entity.ts',
        "import { WorkspaceEntity } from '@crescendo/identity';\nexport const target = WorkspaceEntity;\n",
      ),
    ).toEqual([expect.stringContaining("Another feature's entities")]);
  });

  it('refuses a barrel that exports an entity or a repository', async () => {
    expect(await problems('libs/leads/src/index.ts', "export * from './lead.entity';\n")).toEqual([
      expect.stringContaining('never exports its entity or repository files'),
    ]);
    expect(
      await problems('libs/leads/src/index.ts', "export { LeadsRepository } from './leads.repository';\n"),
    ).toHaveLength(2);
    expect(await problems('libs/leads/src/index.ts', "export * from './leads.types';\n")).toEqual([]);
  });

  it('refuses Fastify in a service, a repository or a store', async () => {
    expect(
      await problems('libs/studio/src/planted.service.ts', "import type { FastifyRequest } from 'fastify';\n"),
    ).toEqual([expect.stringContaining('currentRequest()')]);
    expect(
      await problems('libs/leads/src/planted.store.ts', "import type { MultipartFile } from '@fastify/multipart';\n"),
    ).toEqual([expect.stringContaining('multipartBody(request)')]);
  });
});
