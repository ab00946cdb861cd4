/**
 * Forked by serve.ts before the workers start: the archive prepared once (prepare.ts), in a
 * process of its own, so that the primary never loads the app and stays small.
 */
import { loadConfig } from "../core/config.ts";
import { prepareArchive } from "./prepare.ts";

await prepareArchive(loadConfig());
