/**
 * `npm start [-- --workers N]`: migrate, fill an empty archive with demo content, and serve
 * from N worker processes (default FANFOLD_WORKERS, else one per core; see src/serve/).
 */
import { ConfigError, loadConfig } from "./core/config.ts";
import { workerCount } from "./serve/options.ts";
import { serve } from "./serve/serve.ts";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const count = workerCount(process.argv.slice(2), config.workers);
if ("error" in count) {
  console.error(count.error);
  process.exit(2);
}
await serve(config, count.workers);
