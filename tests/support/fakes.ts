// Starts fake-services.ts (the Slack stand-in and the scripted model, a Deno process) for a Node
// suite, and reads what they received through the model port's /_control/ routes.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../devstack/src/config.ts';

export interface SlackCall { method: string; channel: string | null; text: string }

export interface FakeServices {
  modelUrl: string;
  slackApiUrl: string;
  slackCalls(method?: string): Promise<SlackCall[]>;
  model(): Promise<{ requests: number; attempts: Record<string, number> }>;
  stop(): Promise<void>;
}

export async function startFakeServices(ports: { llm: number; slack: number }): Promise<FakeServices> {
  const child: ChildProcess = spawn(join(repoRoot, 'node_modules/.bin/deno'), ['run', '--allow-all', '--quiet', 'tests/support/fake-services.ts'], {
    cwd: repoRoot,
    env: { ...process.env, FAKE_LLM_PORT: String(ports.llm), FAKE_SLACK_PORT: String(ports.slack), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => child.kill('SIGKILL')); // never outlive the suite
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fake services did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('"ready":true')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d) => (output += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fake services exited with ${code}:\n${output}`));
    });
  });
  const control = `http://127.0.0.1:${ports.llm}/_control`;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${control}${path}`);
    if (!res.ok) throw new Error(`fake services ${path}: ${res.status} ${await res.text()}`);
    return await res.json() as T;
  };
  return {
    modelUrl: `http://127.0.0.1:${ports.llm}/v1`,
    slackApiUrl: `http://127.0.0.1:${ports.slack}/api/`,
    slackCalls: async (method) => (await get<{ calls: SlackCall[] }>(`/slack${method ? `?method=${encodeURIComponent(method)}` : ''}`)).calls,
    model: () => get('/model'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
