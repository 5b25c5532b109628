// The list benchmark alone: npx ts-node -r tsconfig-paths/register bench/leads-list.run.ts
import 'reflect-metadata';
import { benchList } from './leads-list';
import { benchDatabase } from './lib/servers';

async function main() {
  const db = await benchDatabase();
  try {
    console.log(JSON.stringify(await benchList(db.url), null, 2));
  } finally {
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
