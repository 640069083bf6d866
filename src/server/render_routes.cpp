// /api/v1/renders: start a render of a stored komposition, follow it, cancel it,
// download what it made.
#include "platform/documents.hpp"
#include "platform/render_view.hpp"
#include "platform/renders.hpp"
#include "server/audit_trail.hpp"
#include "server/file_reply.hpp"
#include "server/render_start.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using nlohmann::json;
using platform::Renders;

constexpr const char* kBase = "/api/v1/renders";

std::optional<Beats> beat_of(const json& body, const char* name) {
    if (!body.contains(name) || body[name].is_null()) return std::nullopt;
    if (!body[name].is_number()) {
        throw HttpError(http::status::unprocessable_entity, "invalid_input",
                        std::string(name) + ": not a number", {{"field", name}});
    }
    return Beats(body[name].get<double>());
}

// Built member by member, and the steps moved rather than copied: an initializer list
// copies every nested value once more (this is answered for every status poll).
json render_json(const workflow::Snapshot& render, const workflow::FleetPrices& prices) {
    const auto progress = platform::render_progress(render);
    const auto& e = render.execution;
    json summary = json::object();
    summary["id"] = e.id;
    summary["state"] = workflow::state_name(e.state);
    summary["komposition"] = e.komposition_id;
    summary["created_at"] = e.created_at;
    summary["started_at"] = e.started_at;
    summary["finished_at"] = e.finished_at;
    summary["error"] = e.error;
    auto& shown_progress = summary["progress"];
    shown_progress["frames_done"] = progress.frames_done;
    shown_progress["frames_total"] = progress.total_frames;
    shown_progress["stage"] = progress.stage;
    summary["cost"] = platform::cost_json(render, prices);
    summary["steps"] = std::move(platform::snapshot_json(render)["steps"]);
    if (e.state == workflow::ExecutionState::succeeded) {
        summary["output"] = std::string(kBase) + "/" + e.id + "/output";
    }
    return summary;
}

Reply not_found(const std::string& id) {
    return Reply::error(http::status::not_found, "not_found", "render " + id + ": no such render");
}

Reply start(ServiceContext& services, Request& request) {
    const auto body = request.json_body();
    if (!body.is_object() || !body.contains("komposition") || !body["komposition"].is_string()) {
        throw HttpError(http::status::unprocessable_entity, "invalid_input",
                        "komposition: the id of a stored komposition is required",
                        {{"field", "komposition"}});
    }
    platform::RenderStart wanted{body["komposition"].get<std::string>(),
                                 {beat_of(body, "from_beat"), beat_of(body, "to_beat")},
                                 request.header("Idempotency-Key"),
                                 {}};
    const auto id = start_render(services, request, wanted);
    if (!id) {
        throw HttpError(http::status::unprocessable_entity, "invalid_input",
                        "komposition: " + wanted.komposition_id + ": no such komposition",
                        {{"field", "komposition"}});
    }
    const auto location = std::string(kBase) + "/" + *id;
    return Reply::json(http::status::accepted, {{"id", *id}, {"href", location}})
        .header("Location", location);
}

// Pages are newest first; the cursor is "<created_at>.<id>" of the last one shown.
void apply_cursor(workflow::ExecutionQuery& query, const std::string& before) {
    if (before.empty()) return;
    const auto dot = before.find('.');
    if (dot == std::string::npos) {
        throw HttpError(http::status::bad_request, "bad_parameter", "before: not a page cursor");
    }
    query.before_created_at = std::atoll(before.substr(0, dot).c_str());
    query.before_id = before.substr(dot + 1);
}

Reply list(ServiceContext& services, Request& request) {
    workflow::ExecutionQuery query;
    query.komposition_id = request.query_value("komposition");
    if (const auto state = request.query_value("state"); !state.empty()) {
        try {
            query.state = workflow::execution_state_from(state);
        } catch (const std::exception&) {
            throw HttpError(http::status::bad_request, "bad_parameter",
                            "state: \"" + state + "\" is not a render state");
        }
    }
    apply_cursor(query, request.query_value("before"));
    query.limit = page_limit(request) + 1;
    auto found = Renders(services.platform).list(request.tenant(), query);
    const bool more = found.size() == query.limit;
    if (more) found.pop_back();
    json items = json::array();
    for (const auto& e : found) {
        items.push_back({{"id", e.id},
                         {"state", workflow::state_name(e.state)},
                         {"komposition", e.komposition_id},
                         {"created_at", e.created_at},
                         {"finished_at", e.finished_at},
                         {"error", e.error}});
    }
    const json next = more ? json(std::to_string(found.back().created_at) + "." + found.back().id)
                           : json(nullptr);
    return Reply::json(http::status::ok, {{"items", items}, {"next", next}});
}

// The most asked route (clients poll it): answered from the cache of shown statuses while
// the render has no new event, the tenant checked every time.
Reply status(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    const auto shown =
        Renders(services.platform)
            .status(request.tenant(), id, services.render_statuses,
                    [&](const workflow::Snapshot& render) {
                        return json_text(render_json(render, services.platform.prices));
                    });
    if (!shown) return not_found(id);
    return Reply::json_bytes(http::status::ok, *shown);
}

Reply history(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    const auto after = std::atoll(request.query_value("after", "0").c_str());
    const auto events = Renders(services.platform).history(request.tenant(), id, after);
    if (!events) return not_found(id);
    return Reply::json(http::status::ok, {{"events", platform::events_json(*events)}});
}

Reply cancel(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    const auto was_running = Renders(services.platform).cancel(request.tenant(), id);
    if (!was_running) return not_found(id);
    const bool cancelled = *was_running;
    if (cancelled) audit_action(services, request, "render.cancel", id);
    const auto render = Renders(services.platform).get(request.tenant(), id);
    return Reply::json(http::status::ok,
                       {{"id", id},
                        {"cancelled", cancelled},
                        {"state", workflow::state_name(render->execution.state)}});
}

// Many kompositions at once (a producer's album, say): all are checked before any
// starts, so a bad id or a quota starts nothing.
Reply batch(ServiceContext& services, Request& request) {
    const auto body = request.json_body();
    const auto ids = body.is_object() ? body.value("kompositions", json()) : json();
    if (!ids.is_array() || ids.empty() || ids.size() > 100) {
        throw HttpError(http::status::unprocessable_entity, "invalid_input",
                        "kompositions: a list of 1 to 100 komposition ids is required",
                        {{"field", "kompositions"}});
    }
    platform::Documents documents(services.platform.tenant_store);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto field = "kompositions[" + std::to_string(i) + "]";
        if (!ids[i].is_string() || !documents.get(request.tenant(), ids[i].get<std::string>())) {
            throw HttpError(http::status::unprocessable_entity, "invalid_input",
                            field + ": no such komposition", {{"field", field}});
        }
    }
    const auto renders =
        services.quotas.start_renders(request.tenant(), true, static_cast<int>(ids.size()), [&] {
            std::vector<std::string> started;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const auto render =
                    Renders(services.platform)
                        .start(request.tenant(), {ids[i].get<std::string>(),
                                                  {},
                                                  "",
                                                  services.quotas.storage_left(request.tenant())});
                // Deleted since it was checked above: what started so far stays started.
                if (!render) {
                    const auto field = "kompositions[" + std::to_string(i) + "]";
                    throw HttpError(http::status::unprocessable_entity, "invalid_input",
                                    field + ": no such komposition", {{"field", field}});
                }
                started.push_back(*render);
            }
            return started;
        });
    json started = json::array();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& id = ids[i];
        audit_action(services, request, "render.start", id.get<std::string>() + " " + renders[i]);
        started.push_back({{"id", renders[i]},
                           {"komposition", id},
                           {"href", std::string(kBase) + "/" + renders[i]}});
    }
    return Reply::json(http::status::accepted, {{"items", started}});
}

Reply output(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    Renders renders(services.platform);
    const auto render = renders.get(request.tenant(), id);
    if (!render) return not_found(id);
    const auto file = renders.output(*render);
    if (!file) {
        const bool done = render->execution.state == workflow::ExecutionState::succeeded;
        return Reply::error(
            done ? http::status::gone : http::status::conflict, done ? "evicted" : "not_finished",
            done ? "render " + id +
                       ": its video was evicted from the cache; "
                       "render again (unchanged pieces are reused)"
                 : "render " + id + ": " + workflow::state_name(render->execution.state) +
                       ", no video yet");
    }
    const auto name =
        (render->execution.komposition_id.empty() ? id : render->execution.komposition_id) +
        file->extension().string();
    return file_reply(request, *file, content_type_of(*file), name);
}

}  // namespace

void add_render_routes(Router& router, ServiceContext& services) {
    const std::string one = std::string(kBase) + "/{id}";
    router.add(route(http::verb::post, kBase, [&](Request& r) {
                   return start(services, r);
               }).needs(auth::Permission::render));
    router.add(route(http::verb::post, std::string(kBase) + "/batch", [&](Request& r) {
                   return batch(services, r);
               }).needs(auth::Permission::batch));
    router.add(route(http::verb::get, kBase, [&](Request& r) { return list(services, r); }));
    // A render's status is one short read (its JSON cached per event): cheaper than the hop
    // to the pool.
    router.add(
        route(http::verb::get, one, [&](Request& r) { return status(services, r); }).runs_inline());
    router.add(
        route(http::verb::get, one + "/history", [&](Request& r) { return history(services, r); }));
    router.add(route(http::verb::post, one + "/cancel", [&](Request& r) {
                   return cancel(services, r);
               }).needs(auth::Permission::render));
    router.add(
        route(http::verb::get, one + "/output", [&](Request& r) { return output(services, r); }));
}

}  // namespace kompo::server
