import type { TaskResult, TaskRun } from '../taskRun.js';
import { runCall } from './callTask.js';
import { runEmit, runListen } from './eventTasks.js';
import { runDo, runRaise, runSet, runSwitch, runWait } from './flowTasks.js';
import { runFor } from './forTask.js';
import { runFork } from './forkTask.js';
import { runRun } from './runTask.js';
import { runTry } from './tryTask.js';

/** Runs one kind of task; `authorize` exposes the resolved authorization as `$authorization`. */
export type TaskExecutor = (
  run: TaskRun,
  authorize: (descriptor: unknown) => void,
) => Promise<TaskResult>;

export const taskExecutors: Readonly<Record<string, TaskExecutor>> = {
  call: runCall,
  do: runDo,
  emit: runEmit,
  for: runFor,
  fork: runFork,
  listen: runListen,
  raise: runRaise,
  run: runRun,
  set: runSet,
  switch: runSwitch,
  try: runTry,
  wait: runWait,
};
