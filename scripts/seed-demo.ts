import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppConfig, ConfigError, loadEnvFile } from '@crescendo/platform';
import { DEMO_EMAIL, DemoSeeder, DemoSeedModule, DemoWorkspaceNotEmptyError } from '@crescendo/demo';

const usage = `Usage: npm run seed:demo -- [--email <user e-mail>] [--password <password>] [--reset]

Fills a workspace with deterministic demo data (niches, leads, campaigns, subscribers, earnings, segments,
automation rules, chatbot inbox) through the domain services.
  --email     the user whose (first) workspace is filled; created when missing (default ${DEMO_EMAIL})
  --password  password of a created user, or the new password of an existing one (default crescendo-demo)
  --reset     wipe the workspace's leads, niches, campaigns, subscribers, earnings, segments, automation and
              chatbot data first; without it a workspace that already has data is refused (exit code 2)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  loadEnvFile();
  const app = await NestFactory.createApplicationContext(DemoSeedModule, { logger: ['error', 'warn'] });
  try {
    if (app.get(AppConfig).env.NODE_ENV === 'production') {
      console.error('Refusing to seed demo data with NODE_ENV=production');
      return 1;
    }
    const result = await app
      .get(DemoSeeder)
      .run({ email: values.email, password: values.password, reset: values.reset });
    console.log(`Demo workspace ${result.reset ? 'reset and ' : ''}seeded in ${(result.ms / 1000).toFixed(1)} s`);
    console.log(`  sign in as ${result.email} / ${result.password ?? '(existing password, unchanged)'}`);
    console.log(`  workspace ${result.workspaceId}`);
    for (const [table, count] of Object.entries(result.counts)) console.log(`  ${table.padEnd(26)} ${count}`);
    return 0;
  } catch (error) {
    if (error instanceof DemoWorkspaceNotEmptyError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
