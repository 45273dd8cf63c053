/** The worker script of the workerpool peer: registers the shared tasks by name. */

import workerpool from 'workerpool';
import { add, sha256 } from './tasks.js';

workerpool.worker({ add, sha256 });
