// Entry module of a job worker thread: serves the production task table (bundled as job-worker.js).
import { tasks } from './tasks';
import { serveTasks } from './worker-runtime';

serveTasks(tasks);
