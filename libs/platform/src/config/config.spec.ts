import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { AppConfig, ConfigError, loadEnv } from './config.service';
import { EnvDto } from './env.dto';

const root = join(__dirname, '..', '..', '..', '..');
const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/crescendo',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
  SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  CRON_SECRET: 'y'.repeat(16),
};

describe('loadEnv', () => {
  it('accepts a complete environment and applies defaults', () => {
    const env = loadEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.JWT_ACCESS_TTL_SECONDS).toBe(900);
    expect(env.COOKIE_SECURE).toBe(true);
  });

  it('converts numbers and booleans, and treats empty values as unset', () => {
    const env = loadEnv({ ...valid, PORT: '8080', COOKIE_SECURE: 'false', SMTP_URL: '' });
    expect(env.PORT).toBe(8080);
    expect(env.COOKIE_SECURE).toBe(false);
    expect(env.SMTP_URL).toBeUndefined();
  });

  it.each([
    ['DATABASE_URL', undefined],
    ['DATABASE_URL', 'mysql://x'],
    ['JWT_SECRET', 'short'],
    ['SETTINGS_ENCRYPTION_KEY', 'not-base64'],
    ['PORT', 'eighty'],
    ['COOKIE_SAMESITE', 'sometimes'],
    ['SMTP_URL', 'http://mail'],
  ])('stops with a message naming %s when it is %p', (name, value) => {
    const source: Record<string, string | undefined> = { ...valid, [name]: value };
    expect(() => loadEnv(source)).toThrow(ConfigError);
    expect(() => loadEnv(source)).toThrow(new RegExp(`- ${name}:`));
  });

  it('names every bad variable at once', () => {
    const message = (() => {
      try {
        loadEnv({ REDIS_URL: valid.REDIS_URL });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ['DATABASE_URL', 'JWT_SECRET', 'SETTINGS_ENCRYPTION_KEY', 'CRON_SECRET']) {
      expect(message).toContain(`- ${name}:`);
    }
  });
});

describe('TRUST_PROXY', () => {
  const trust = (value?: string) => new AppConfig(loadEnv({ ...valid, TRUST_PROXY: value })).trustProxy;

  it('is off by default and reads a hop count, the former booleans (true = one hop) and proxy lists', () => {
    expect(trust()).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('true')).toBe(1);
    expect(trust('10.0.0.0/8, 127.0.0.1,::1')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
  });

  it.each(['-1', '11', 'nginx', '10.0.0.0/33', '10.0.0.1,nginx', 'loopback'])(
    'refuses %p, naming TRUST_PROXY',
    (value) => {
      expect(() => trust(value)).toThrow(/- TRUST_PROXY: TRUST_PROXY must be a number of trusted proxy hops/);
    },
  );
});

describe('AI_PROVIDERS', () => {
  const provider = { name: 'GPT-4', kind: 'openai', apiKey: 'sk-x', models: ['gpt-4o'], defaultModel: 'gpt-4o' };
  const load = (value: unknown) => loadEnv({ ...valid, AI_PROVIDERS: JSON.stringify(value) });
  const problem = (raw: string) => {
    try {
      loadEnv({ ...valid, AI_PROVIDERS: raw });
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('is empty when unset, and parsed with defaults when set', () => {
    expect(loadEnv(valid).AI_PROVIDERS).toEqual([]);
    const [p] = load([{ ...provider, pricing: { 'gpt-4o': { inputPer1k: 0.0025, outputPer1k: 0.01 } } }]).AI_PROVIDERS;
    expect(p).toMatchObject({ name: 'GPT-4', timeoutMs: 30000, maxRetries: 2, maxConcurrency: 4 });
    expect(p.breaker).toEqual({ errorThresholdPercentage: 50, resetTimeoutMs: 30000, volumeThreshold: 5 });
    expect(p.pricing['gpt-4o'].outputPer1k).toBe(0.01);
  });

  it.each([
    ['not JSON', '[{name:'],
    ['not an array', '{"name":"x"}'],
    ['an unknown kind', JSON.stringify([{ ...provider, kind: 'anthropic' }])],
    ['no models', JSON.stringify([{ ...provider, models: [] }])],
    ['a default model outside its models', JSON.stringify([{ ...provider, defaultModel: 'gpt-5' }])],
    ['a duplicate name', JSON.stringify([provider, { ...provider, name: 'gpt-4' }])],
    [
      'pricing of an unknown model',
      JSON.stringify([{ ...provider, pricing: { x: { inputPer1k: 1, outputPer1k: 1 } } }]),
    ],
    ['a bad breaker', JSON.stringify([{ ...provider, breaker: { errorThresholdPercentage: 500 } }])],
    ['azure without baseUrl', JSON.stringify([{ ...provider, kind: 'azure' }])],
  ])('refuses %s, naming AI_PROVIDERS', (_label, raw) => {
    expect(problem(raw)).toMatch(/- AI_PROVIDERS: \S/);
  });
});

describe('.env.example and docker-compose.yml', () => {
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EnvDto, '', true, false)
      .map((m) => m.propertyName),
  );
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it('.env.example documents every setting the apps read, and nothing else', () => {
    expect([...documented].sort()).toEqual([...declared].sort());
  });

  it('every setting in .env.example has a comment above it or in its group', () => {
    const lines = example.split('\n');
    for (const name of documented) {
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      const before = lines.slice(Math.max(0, at - 4), at).join('\n');
      expect([name, before.includes('#')]).toEqual([name, true]);
    }
  });

  it('docker-compose.yml is valid YAML with postgres, redis, api, worker and web, using only known settings', () => {
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'api', 'worker', 'web']),
    );
    for (const name of ['api', 'worker']) {
      const service = compose.services[name];
      // .env, optional: compose also reads it for the ${…} of the secrets, which it refuses to start without.
      expect(service.env_file).toEqual([{ path: '.env', required: false }]);
      for (const variable of Object.keys(service.environment ?? {})) {
        expect([name, variable, declared.has(variable)]).toEqual([name, variable, true]);
      }
    }
  });
});
