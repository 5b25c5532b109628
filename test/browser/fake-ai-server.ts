/**
 * Fake OpenAI-compatible providers for the browser tests, started by scripts/test-browser.sh before
 * the API: Alpha and Beta answer in words streamed a little apart (Beta with its own text, so the two
 * columns differ), Broken always fails. Prints the AI_PROVIDERS JSON on one line, then serves until
 * it is stopped.
 */
import { FakeOpenAI, type FakeRequest } from '../helpers/fake-openai';

const lastUser = (request: FakeRequest): string => {
  const messages = (request.body.messages ?? []) as { role: string; content: string }[];
  return [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
};

async function main(): Promise<void> {
  const [alpha, beta, broken] = await Promise.all([FakeOpenAI.start(), FakeOpenAI.start(), FakeOpenAI.start()]);
  alpha.setDefault((request) => ({ content: `Alpha answers: ${lastUser(request)}`, chunkDelayMs: 30 }));
  beta.setDefault((request) => ({ content: `Beta replies to ${lastUser(request)}`, chunkDelayMs: 50 }));
  broken.setDefault({ status: 500, message: 'upstream exploded' });
  const calm = { volumeThreshold: 1000 };
  const providers = [
    alpha.provider({ name: 'Alpha', models: ['alpha-large', 'alpha-small'], breaker: calm }),
    beta.provider({ name: 'Beta', models: ['beta-1'], breaker: calm }),
    broken.provider({ name: 'Broken', models: ['broken-1'], maxRetries: 0, breaker: calm }),
  ];
  process.stdout.write(`${JSON.stringify(providers)}\n`);
  const stop = () => void Promise.all([alpha.close(), beta.close(), broken.close()]).finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
