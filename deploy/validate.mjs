// Validates what `kubectl kustomize deploy` built, offline:
//   node deploy/validate.mjs MANIFESTS.yaml
// 1. every object against its schema (kubernetes-models, @kubernetes-models/keda): types,
//    required fields, enums;
// 2. the references between objects (scale targets, secrets, config maps, selectors) and
//    the rules docs/deploy.md promises (probes, grace periods, the KEDA query);
// 3. the Grafana dashboard: its panels, and that every metric it reads is one that
//    src/server/metrics.cpp exports, unless the panel says it is planned.
// Prints one line per problem and exits 1 when there is any.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

// The model of an apiVersion/kind: core ("v1"), a group ("apps/v1") or KEDA's.
async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path =
    group === "keda.sh"
      ? `@kubernetes-models/keda/keda.sh/${version}/${kind}`
      : `kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return undefined;
  }
}

async function validateSchemas(objects) {
  for (const [name, object] of objects) {
    const Model = await modelOf(object.apiVersion ?? "", object.kind ?? "");
    if (!Model) {
      problem(name, `no model for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      for (const line of String(error.message ?? error).split("\n")) problem(name, line);
    }
  }
}

const byKind = (objects, kind) => [...objects.values()].filter((o) => o.kind === kind);
const named = (objects, kind, name) => byKind(objects, kind).find((o) => o.metadata?.name === name);
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

function checkConfigReferences(objects, where, container) {
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? "ConfigMap" : "Secret";
    if (!named(objects, kind, ref.name)) problem(where, `envFrom names no ${kind} ${ref.name}`);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const secret = named(objects, "Secret", ref.name);
    if (!secret?.stringData?.[ref.key] && !secret?.data?.[ref.key]) {
      problem(where, `${variable.name} reads ${ref.name}/${ref.key}, which does not exist`);
    }
  }
}

function flag(args, name) {
  const found = (args ?? []).find((a) => a.startsWith(`--${name}=`));
  return found === undefined ? undefined : Number(found.split("=")[1]);
}

function checkDeployments(objects) {
  for (const deployment of byKind(objects, "Deployment")) {
    const name = `Deployment ${deployment.metadata.name}`;
    const pod = deployment.spec.template;
    if (!matches(deployment.spec.selector.matchLabels, pod.metadata.labels)) {
      problem(name, "its selector does not select its own pods");
    }
    for (const container of pod.spec.containers) {
      checkConfigReferences(objects, name, container);
      const args = container.args ?? [];
      if (args[0] === "serve") {
        if (container.readinessProbe?.httpGet?.path !== "/readyz") problem(name, "readiness is not /readyz");
        if (container.livenessProbe?.httpGet?.path !== "/healthz") problem(name, "liveness is not /healthz");
      }
      if (args[0] === "worker") {
        const grace = flag(args, "grace");
        const workerClass = args.find((a) => a.startsWith("--class="))?.split("=")[1];
        if (grace === undefined) problem(name, "the worker has no --grace");
        if (!(pod.spec.terminationGracePeriodSeconds > grace)) {
          problem(name, `terminationGracePeriodSeconds is not above --grace=${grace}`);
        }
        // GKE gives a Spot pod about 15 s of its notice: the hand-back must fit with room.
        if (workerClass === "preemptible" && !(grace <= 10)) {
          problem(name, `--grace=${grace} does not fit well inside a Spot pod's 15 s`);
        }
      }
    }
  }
}

function checkSelectors(objects, kind, selectorOf) {
  const pods = byKind(objects, "Deployment").map((d) => d.spec.template.metadata.labels);
  for (const object of byKind(objects, kind)) {
    if (!pods.some((labels) => matches(selectorOf(object), labels))) {
      problem(`${kind} ${object.metadata.name}`, "selects no pods of any Deployment");
    }
  }
}

const normalise = (sql) =>
  sql
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();

function checkScaling(objects) {
  const demand = normalise(readFileSync(join(here, "queue-demand.sql"), "utf8"));
  for (const scaled of byKind(objects, "ScaledObject")) {
    const name = `ScaledObject ${scaled.metadata.name}`;
    if (!named(objects, "Deployment", scaled.spec.scaleTargetRef.name)) {
      problem(name, `scales no Deployment ${scaled.spec.scaleTargetRef.name}`);
    }
    for (const trigger of scaled.spec.triggers) {
      const auth = trigger.authenticationRef?.name;
      if (auth && !named(objects, "TriggerAuthentication", auth)) {
        problem(name, `names no TriggerAuthentication ${auth}`);
      }
      if (trigger.type === "postgresql" && normalise(trigger.metadata.query) !== demand) {
        problem(name, "its query differs from deploy/queue-demand.sql");
      }
    }
  }
  for (const auth of byKind(objects, "TriggerAuthentication")) {
    for (const ref of auth.spec.secretTargetRef ?? []) {
      const secret = named(objects, "Secret", ref.name);
      if (!secret?.stringData?.[ref.key] && !secret?.data?.[ref.key]) {
        problem(`TriggerAuthentication ${auth.metadata.name}`, `reads ${ref.name}/${ref.key}, which does not exist`);
      }
    }
  }
}

// Metric names that src/server/metrics.cpp writes out.
function exportedMetrics() {
  const source = readFileSync(join(here, "..", "src", "server", "metrics.cpp"), "utf8");
  return new Set(source.match(/kompo_[a-z_]+/g));
}

function checkDashboard(text, where) {
  let dashboard;
  try {
    dashboard = JSON.parse(text);
  } catch (error) {
    problem(where, `not JSON: ${error.message}`);
    return;
  }
  const exported = exportedMetrics();
  const ids = new Set();
  if (!dashboard.title || !dashboard.uid) problem(where, "no title or uid");
  for (const panel of dashboard.panels ?? []) {
    const name = `${where}: panel "${panel.title}"`;
    if (ids.has(panel.id)) problem(name, `id ${panel.id} used twice`);
    ids.add(panel.id);
    const { h, w, x, y } = panel.gridPos ?? {};
    if (![h, w, x, y].every(Number.isInteger) || x + w > 24) problem(name, "bad gridPos");
    if (panel.type === "row") continue;
    if (!panel.targets?.length) problem(name, "has no query");
    const planned = (panel.description ?? "").startsWith("Planned:");
    for (const target of panel.targets ?? []) {
      const metrics = (target.expr ?? "").match(/kompo_[a-z_]+/g) ?? [];
      if (!metrics.length) problem(name, `query ${target.refId} reads no kompo metric`);
      for (const metric of metrics) {
        const base = metric.replace(/_(bucket|sum|count)$/, "");
        const known = exported.has(metric) || exported.has(base);
        if (!known && !planned) problem(name, `${metric} is not exported by src/server/metrics.cpp`);
      }
      if (planned && metrics.every((m) => exported.has(m.replace(/_(bucket|sum|count)$/, "")))) {
        problem(name, "is marked Planned but its metrics are exported now: drop the mark");
      }
    }
  }
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node deploy/validate.mjs MANIFESTS.yaml");
  process.exit(2);
}
const objects = new Map();
for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
  if (document.errors.length) {
    for (const error of document.errors) problem(file, error.message);
    continue;
  }
  const object = document.toJS();
  if (!object) continue;
  objects.set(`${object.kind} ${object.metadata?.name}`, object);
}
await validateSchemas(objects);
checkDeployments(objects);
checkSelectors(objects, "Service", (o) => o.spec.selector);
checkSelectors(objects, "PodDisruptionBudget", (o) => o.spec.selector.matchLabels);
checkScaling(objects);
const dashboards = byKind(objects, "ConfigMap").filter((c) => c.metadata.labels?.grafana_dashboard);
if (!dashboards.length) problem(file, "no Grafana dashboard ConfigMap");
for (const map of dashboards) {
  for (const [key, text] of Object.entries(map.data ?? {})) checkDashboard(text, `dashboard ${key}`);
}

for (const line of problems) console.error(`deploy/check: ${line}`);
if (problems.length) process.exit(1);
console.log(`deploy/check: ${objects.size} objects and ${dashboards.length} dashboard valid`);
