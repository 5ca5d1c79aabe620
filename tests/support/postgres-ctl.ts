// `tsx tests/support/postgres-ctl.ts stop|start` — stops or starts the Postgres of the `test`
// stack at STACK_PORT_OFFSET. A separate process, because pg_ctl is run synchronously and a
// suite must keep serving its own traffic while Postgres goes down and comes back.
import { loadConfig } from '../../devstack/src/config.ts';
import { startCluster, stopCluster } from '../../devstack/src/postgres.ts';

const cfg = loadConfig('test');
const command = process.argv[2];
if (command === 'stop') stopCluster(cfg);
else if (command === 'start') startCluster(cfg);
else throw new Error(`usage: postgres-ctl.ts stop|start (got ${command})`);
