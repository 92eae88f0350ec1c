// The floor for `npm run bench serve`: fastify answering the daemon's two benchmarked routes with
// constants, in a plain node process like the daemon's. Prints {"url"} once listening.
import Fastify from "fastify";

const job = { id: "01BARE", state: "queued", provider: "openai", model: "gpt-4.1-mini", promptPurpose: "craft" };
const app = Fastify({ logger: false });
app.post("/v1/jobs/craft", async (_request, reply) => reply.code(202).header("location", "/v1/jobs/01BARE").send(job));
app.get("/v1/jobs/:id", async () => job);
const url = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
