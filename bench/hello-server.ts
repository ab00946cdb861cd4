/**
 * A bare Fastify "hello" server: the floor the page benchmark (bench/pages.ts) measures
 * beside Fanfold's pages, with the same load settings, so a page's cost reads against what
 * Fastify and the socket alone cost on this machine at that moment.
 *
 *   PORT=3100 node --import tsx bench/hello-server.ts
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => "hello");
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
// The same words as Fanfold's start-up line, so one reader waits for either.
console.log(`Fanfold is running at ${address} (bare Fastify hello)`);
const stop = () => void app.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
