// CI check of the deployment files, without Docker or a cluster: docker-compose.yml scales (api and worker
// have no container name and no host port; nginx balances over the api replicas), the Dockerfile runs a
// Node version package.json's engines allow, and deploy/k8s renders (kubectl kustomize) to the expected
// objects with probes, and a ConfigMap and a Secret holding every key of .env.example. The key list comes
// from .env.example, so a setting added there without its manifest entry fails here, by name.
// Run: bash scripts/check-deploy.sh
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { loadEnv } from '../libs/platform/src/config/config.service';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const failures: string[] = [];
const check = (ok: unknown, message: string) => {
  if (!ok) failures.push(message);
};
const tryLoadEnv = (env: Record<string, string>, where: string) => {
  try {
    loadEnv(env);
  } catch (error) {
    failures.push(`${where}: the app would refuse this configuration: ${(error as Error).message}`);
  }
};

const example = parseEnv(read('.env.example')) as Record<string, string>;
const exampleKeys = Object.keys(example);
check(exampleKeys.length > 10, `.env.example: only ${exampleKeys.length} keys parsed`);

// --- docker-compose.yml -------------------------------------------------------------------------------

/** Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error} and $$. */
function interpolate(value: string, vars: Record<string, string>, where: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name, op, arg) => {
    if (match === '$$') return '$';
    const set = vars[name];
    const unsetOrEmpty = set === undefined || (op?.startsWith(':') && set === '');
    if (op?.endsWith('-')) return unsetOrEmpty ? arg : set;
    if (op?.endsWith('?')) {
      if (unsetOrEmpty) failures.push(`${where}: \${${name}} is required (${arg}) and .env.example does not set it`);
      return set ?? '';
    }
    return set ?? '';
  });
}

const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Record<string, any>>;
};
const services = compose.services ?? {};
for (const name of ['api', 'worker']) {
  const service = services[name];
  check(service, `docker-compose.yml: no ${name} service`);
  if (!service) continue;
  check(!service.container_name, `docker-compose.yml: ${name} has a container_name, so it cannot scale`);
  check(!service.ports, `docker-compose.yml: ${name} publishes host ports (${service.ports}), so it cannot scale`);
  check(service.healthcheck?.test, `docker-compose.yml: ${name} has no healthcheck`);
}
for (const name of ['api', 'worker', 'migrate']) {
  const service = services[name];
  if (!service) {
    failures.push(`docker-compose.yml: no ${name} service`);
    continue;
  }
  // As `cp .env.example .env && docker compose up` runs it: .env feeds both ${…} and env_file.
  const environment = Object.fromEntries(
    Object.entries((service.environment ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      interpolate(String(v ?? ''), example, `docker-compose.yml ${name}.environment.${k}`),
    ]),
  );
  const envFiles = ([] as unknown[]).concat(service.env_file ?? []);
  const usesDotEnv = envFiles.some((f) => (typeof f === 'string' ? f : (f as { path?: string }).path) === '.env');
  check(usesDotEnv, `docker-compose.yml: ${name} does not read .env (env_file)`);
  tryLoadEnv({ ...example, ...environment }, `docker-compose.yml ${name} with .env = .env.example`);
  // Without any .env beyond the secrets: what compose sets, the rest the app's defaults.
  tryLoadEnv(environment, `docker-compose.yml ${name} without .env`);
  check(
    environment.DATABASE_URL?.includes('@postgres:'),
    `docker-compose.yml: ${name} DATABASE_URL is not the postgres service`,
  );
  check(environment.REDIS_URL?.includes('//redis:'), `docker-compose.yml: ${name} REDIS_URL is not the redis service`);
}
check(services.web?.ports, 'docker-compose.yml: web (nginx) publishes no port: nothing reaches the api replicas');
check(!services.web?.container_name, 'docker-compose.yml: web has a container_name');

const nginx = read('deploy/nginx.conf')
  .split('\n')
  .map((line) => line.replace(/#.*/, ''))
  .join('\n');
// A variable upstream is resolved per request through Docker's DNS, which lists every replica.
const upstream = /set\s+\$(\w+)\s+http:\/\/api:3000\s*;/.exec(nginx);
check(/resolver\s+127\.0\.0\.11\b/.test(nginx), 'deploy/nginx.conf: no `resolver 127.0.0.11` (Docker DNS)');
check(upstream, 'deploy/nginx.conf: no `set $… http://api:3000;` upstream variable');
const apiLocation = /location\s+\/api\/\s*\{([^}]*)\}/.exec(nginx)?.[1] ?? '';
check(
  upstream && new RegExp(`proxy_pass\\s+\\$${upstream[1]}\\s*;`).test(apiLocation),
  'deploy/nginx.conf: location /api/ does not proxy_pass to the api variable',
);
check(/proxy_buffering\s+off/.test(apiLocation), 'deploy/nginx.conf: /api/ buffers answers (SSE would stall)');
check(!/proxy_pass\s+http:\/\/api/.test(nginx), 'deploy/nginx.conf: a literal proxy_pass http://api… is resolved once');

// --- Node version ---------------------------------------------------------------------------------------

const engines = (JSON.parse(read('package.json')) as { engines?: { node?: string } }).engines?.node ?? '';
for (const line of read('Dockerfile')
  .split('\n')
  .filter((l) => /^FROM\s+node:/.test(l))) {
  const major = /node:(\d+)/.exec(line)?.[1];
  check(['22', '24'].includes(major ?? ''), `Dockerfile: ${line.trim()} is not a current Node LTS (22 or 24)`);
  check(new RegExp(`\\^${major}\\b`).test(engines), `package.json engines "${engines}" does not allow Node ${major}`);
}
check(/\^20\.19\b/.test(engines), `package.json engines "${engines}" does not allow Node 20.19`);

// --- deploy/k8s -----------------------------------------------------------------------------------------

let rendered = '';
try {
  rendered = execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy/k8s')], { encoding: 'utf8' });
} catch (error) {
  failures.push(
    `kubectl kustomize deploy/k8s failed (install Debian's kubernetes-client): ${(error as Error).message}`,
  );
}
const objects = parseAllDocuments(rendered)
  .map((doc) => doc.toJS() as Record<string, any> | null)
  .filter((o): o is Record<string, any> => !!o);
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const expected: Array<[string, string]> = [
  ['ConfigMap', 'crescendo-config'],
  ['Secret', 'crescendo-secrets'],
  ['Deployment', 'crescendo-api'],
  ['Deployment', 'crescendo-worker'],
  ['Service', 'crescendo-api'],
  ['Job', 'crescendo-migrate'],
  ['HorizontalPodAutoscaler', 'crescendo-worker'],
  ['HorizontalPodAutoscaler', 'crescendo-api'],
  ['PersistentVolumeClaim', 'crescendo-files'],
];
if (rendered) {
  for (const [kind, name] of expected) check(find(kind, name), `deploy/k8s: no ${kind} ${name}`);
}

const configMap = find('ConfigMap', 'crescendo-config');
const secret = find('Secret', 'crescendo-secrets');
const configData: Record<string, string> = configMap?.data ?? {};
const secretData: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries((secret?.data ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString(),
    ]),
  ),
  ...(secret?.stringData ?? {}),
};
if (rendered) {
  for (const key of exampleKeys) {
    check(
      key in configData || key in secretData,
      `deploy/k8s: ${key} (.env.example) is in neither the ConfigMap nor the Secret`,
    );
    check(!(key in configData && key in secretData), `deploy/k8s: ${key} is in both the ConfigMap and the Secret`);
  }
  for (const key of [...Object.keys(configData), ...Object.keys(secretData)]) {
    check(key in example, `deploy/k8s: ${key} is not a setting of .env.example`);
  }
  const secrets = ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'SETTINGS_ENCRYPTION_KEY', 'CRON_SECRET'];
  for (const key of [...secrets, 'GOOGLE_CLIENT_SECRET', 'GITHUB_CLIENT_SECRET']) {
    check(key in secretData, `deploy/k8s: ${key} belongs in the Secret`);
  }
}

/** The one container of a workload, with the environment it gets from the ConfigMap, the Secret and env. */
function container(kind: string, name: string) {
  const spec = find(kind, name)?.spec?.template?.spec;
  const c = spec?.containers?.[0];
  if (!c) return undefined;
  const from = (c.envFrom ?? []) as Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  check(
    from.some((f) => f.configMapRef?.name === 'crescendo-config'),
    `deploy/k8s: ${kind} ${name} does not load the ConfigMap`,
  );
  check(
    from.some((f) => f.secretRef?.name === 'crescendo-secrets'),
    `deploy/k8s: ${kind} ${name} does not load the Secret`,
  );
  const own = Object.fromEntries(
    ((c.env ?? []) as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value ?? '']),
  );
  const env = { ...configData, ...secretData, ...own };
  tryLoadEnv(env, `deploy/k8s ${kind} ${name}`);
  check(!c.ports?.some((p: { hostPort?: number }) => p.hostPort), `deploy/k8s: ${kind} ${name} uses a hostPort`);
  return { c, env, spec };
}

if (rendered) {
  for (const [name, portKey] of [
    ['crescendo-api', 'PORT'],
    ['crescendo-worker', 'WORKER_HEALTH_PORT'],
  ] as const) {
    const found = container('Deployment', name);
    if (!found) {
      failures.push(`deploy/k8s: Deployment ${name} has no container`);
      continue;
    }
    const { c, env } = found;
    const listening = Number(env[portKey]);
    check(listening > 0, `deploy/k8s: Deployment ${name} sets no ${portKey}, so nothing answers its probes`);
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      const get = c[probe]?.httpGet;
      check(get?.path === '/api/health', `deploy/k8s: Deployment ${name} has no ${probe} on GET /api/health`);
      const port =
        typeof get?.port === 'number'
          ? get.port
          : c.ports?.find((p: { name?: string }) => p.name === get?.port)?.containerPort;
      check(
        port === listening,
        `deploy/k8s: Deployment ${name} ${probe} port ${get?.port} is not ${portKey}=${listening}`,
      );
    }
  }
  container('Job', 'crescendo-migrate');
  const migrate = find('Job', 'crescendo-migrate')?.spec?.template?.spec?.containers?.[0];
  check(migrate?.command?.includes('migration:run'), 'deploy/k8s: the migration Job does not run migration:run');

  const hpa = find('HorizontalPodAutoscaler', 'crescendo-worker');
  check(
    hpa?.spec?.scaleTargetRef?.kind === 'Deployment' && hpa?.spec?.scaleTargetRef?.name === 'crescendo-worker',
    'deploy/k8s: the worker HPA does not scale Deployment crescendo-worker',
  );
  const service = find('Service', 'crescendo-api');
  const apiDeployment = find('Deployment', 'crescendo-api');
  const podLabels: Record<string, string> = apiDeployment?.spec?.template?.metadata?.labels ?? {};
  const selector: Record<string, string> = service?.spec?.selector ?? {};
  check(
    Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v),
    'deploy/k8s: Service crescendo-api does not select the API pods',
  );
  const workerLabels: Record<string, string> =
    find('Deployment', 'crescendo-worker')?.spec?.template?.metadata?.labels ?? {};
  check(
    !Object.entries(selector).every(([k, v]) => workerLabels[k] === v),
    'deploy/k8s: Service crescendo-api also selects the worker pods',
  );
}

if (failures.length) {
  console.error(`Deployment check failed (${failures.length}):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `Deployment check passed: docker-compose.yml (api and worker scale), deploy/nginx.conf, Dockerfile Node, and ` +
    `deploy/k8s (${objects.length} objects; ${exampleKeys.length} settings of .env.example in its ConfigMap/Secret).`,
);
