#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat-completions server for the assistant's model backend
tests: POST /v1/chat/completions answers with the recorded reply whose "match" text is in
the request's user message (hostile ones included: tools outside the whitelist, another
tenant's id, path traversal). Prints its port on the first line of stdout; POST /shutdown
stops it; GET /requests returns what it was sent.
Usage: scripted_openai.py SCRIPT.json"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCRIPT = json.load(open(sys.argv[1]))
RECEIVED = []


def answer_for(request):
    user = next((m["content"] for m in request.get("messages", []) if m.get("role") == "user"), "")
    for entry in SCRIPT:
        if entry["match"] in user:
            message = {"role": "assistant", "content": entry.get("content")}
            if "tool_calls" in entry:
                message["tool_calls"] = [
                    {"id": f"call_{i}", "type": "function",
                     "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])}}
                    for i, c in enumerate(entry["tool_calls"])]
            return {"id": "chatcmpl-1", "object": "chat.completion", "model": request.get("model"),
                    "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}
    return None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(200, RECEIVED) if self.path == "/requests" else self.reply(404, {})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/shutdown":
            self.reply(200, {})
            threading.Thread(target=self.server.shutdown).start()
            return
        request = json.loads(body)
        RECEIVED.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                         "body": request})
        answer = answer_for(request) if self.path == "/v1/chat/completions" else None
        self.reply(200, answer) if answer else self.reply(500, {"error": "no scripted answer"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
