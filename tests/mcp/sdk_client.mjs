// A real MCP client (the official TypeScript SDK) against `kompo mcp` (stdio) and the
// server's /mcp (streamable HTTP). Prints one JSON object of what it saw; the e2e test
// (tests/e2e/mcp_sdk_test.cpp) checks it. Environment: KOMPO_BIN, KOMPO_DATA_DIR,
// KOMPO_API_TOKEN, KOMPO_MCP_URL.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const { KOMPO_BIN, KOMPO_DATA_DIR, KOMPO_API_TOKEN, KOMPO_MCP_URL } = process.env;

async function exercise(transport) {
  const client = new Client({ name: "kompo-sdk-test", version: "1.0.0" });
  await client.connect(transport);
  const seen = { serverName: client.getServerVersion()?.name };
  const tools = await client.listTools();
  seen.tools = tools.tools.map((t) => t.name).sort();
  seen.editSchemaHasEdits = Boolean(
    tools.tools.find((t) => t.name === "edit_komposition")?.inputSchema?.properties?.edits);
  const timing = await client.callTool({ name: "explain_timing", arguments: { beats: 16, bpm: 140 } });
  seen.timingSeconds = timing.structuredContent?.seconds;
  seen.timingText = timing.content?.[0]?.text;
  const edit = await client.callTool({
    name: "edit_komposition",
    arguments: { id: "Demo", edits: [{ op: "set_bpm", bpm: 135 }] },
  });
  seen.editPatch = edit.structuredContent?.patch;
  seen.editApplied = edit.structuredContent?.applied;
  const missing = await client.callTool({ name: "get_komposition", arguments: { id: "Nope" } });
  seen.missingIsError = missing.isError === true;
  seen.errors = {};
  for (const [label, call] of [
    ["traversal", { name: "get_komposition", arguments: { id: "../other/Secret" } }],
    ["wrongType", { name: "explain_timing", arguments: { beats: "sixteen" } }],
    ["unknownTool", { name: "run_shell", arguments: { cmd: "ls" } }],
  ]) {
    try {
      const result = await client.callTool(call);
      seen.errors[label] = { result };
    } catch (error) {
      seen.errors[label] = { code: error.code, message: String(error.message) };
    }
  }
  await client.close();
  return seen;
}

const out = {};
out.stdio = await exercise(new StdioClientTransport({
  command: KOMPO_BIN,
  args: ["mcp", "--data-dir", KOMPO_DATA_DIR],
  env: { ...process.env, KOMPO_API_TOKEN },
  stderr: "inherit",
}));
out.http = await exercise(new StreamableHTTPClientTransport(new URL(KOMPO_MCP_URL), {
  requestInit: { headers: { Authorization: `Bearer ${KOMPO_API_TOKEN}` } },
}));

async function raw(headers) {
  const response = await fetch(KOMPO_MCP_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  return response.status;
}
out.statusForeignOrigin = await raw({ Authorization: `Bearer ${KOMPO_API_TOKEN}`, Origin: "https://evil.example" });
out.statusLocalOrigin = await raw({ Authorization: `Bearer ${KOMPO_API_TOKEN}`, Origin: "http://localhost:3000" });
out.statusNoToken = await raw({});
out.statusForgedToken = await raw({ Authorization: "Bearer kompo_forged_token" });
console.log(JSON.stringify(out));
