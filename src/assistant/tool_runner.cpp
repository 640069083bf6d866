#include "assistant/tool_runner.hpp"

#include <cmath>
#include <sstream>

#include "assistant/edits.hpp"
#include "komposition/timeline.hpp"
#include "platform/documents.hpp"
#include "platform/media_analyses.hpp"
#include "platform/render_view.hpp"
#include "platform/renders.hpp"

namespace kompo::assistant {

namespace {

using platform::Documents;

std::string text_of(const Json& arguments, const char* key) {
    return arguments.value(key, std::string());
}

[[noreturn]] void not_found(const std::string& what, const std::string& id) {
    throw ToolRefused("not_found", "no " + what + " \"" + id + "\"");
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

constexpr double kBeatsPerBar = 4;

std::string decimal(double value) {
    std::ostringstream out;
    out.precision(value < 100 ? 4 : 6);
    out << value;
    return out.str();
}

}  // namespace

Json ToolRunner::run(const auth::Principal& caller, const ToolCall& call) {
    check_call(call);
    const auto& spec = tool_spec(call.name);
    const bool applies = call.name == "edit_komposition" && call.arguments.value("apply", false);
    const auto needed = applies ? auth::Permission::edit : spec.permission;
    if (!caller.may(needed)) {
        throw ToolRefused("forbidden",
                          call.name + ": your role may not " + auth::permission_name(needed));
    }
    const auto& a = call.arguments;
    if (call.name == "list_kompositions") return list_kompositions(caller, a);
    if (call.name == "get_komposition") return get_komposition(caller, a);
    if (call.name == "edit_komposition") return edit_komposition(caller, a);
    if (call.name == "list_media") return list_media(caller);
    if (call.name == "explain_timing") return explain_timing(caller, a);
    if (call.name == "start_render") return start_render(caller, a);
    if (call.name == "render_status") return render_status(caller, a);
    if (call.name == "make_auto_komposition") return make_auto_komposition(caller, a);
    return cancel_render(caller, a);
}

Json ToolRunner::list_kompositions(const auth::Principal& caller, const Json& arguments) {
    platform::DocumentQuery query;
    query.type = "Komposition";
    query.name_contains = text_of(arguments, "name_contains");
    query.limit = 100;
    Json items = Json::array();
    for (const auto& d : Documents(platform_.tenant_store).list(caller.tenant, query))
        items.push_back({{"id", d.id}, {"name", d.name}, {"rev", d.rev}});
    return {{"kompositions", items}};
}

Json ToolRunner::get_komposition(const auth::Principal& caller, const Json& arguments) {
    const auto id = text_of(arguments, "id");
    const auto found = Documents(platform_.tenant_store).get(caller.tenant, id);
    if (!found || found->type != "Komposition") not_found("komposition", id);
    return {{"id", id}, {"rev", found->rev}, {"komposition", Json::parse(found->body)}};
}

Json ToolRunner::edit_komposition(const auth::Principal& caller, const Json& arguments) {
    const auto id = text_of(arguments, "id");
    Documents documents(platform_.tenant_store);
    const auto found = documents.get(caller.tenant, id);
    if (!found || found->type != "Komposition") not_found("komposition", id);
    const auto rev = text_of(arguments, "rev");
    if (!rev.empty() && rev != found->rev) {
        throw ToolRefused("conflict",
                          id + ": revision " + rev + " is not the current " + found->rev);
    }
    const auto before = komp::to_canonical(komp::parse(found->body, id));
    auto after = apply_edits(before, arguments["edits"], media(caller));
    Json result = {{"id", id},
                   {"base_rev", found->rev},
                   {"patch", patch_between(before, after)},
                   {"applied", false}};
    if (arguments.value("apply", false)) {
        after["_rev"] = found->rev;
        const auto written =
            documents.put(caller.tenant, id, after, platform::Expected{false, found->rev, true});
        result["applied"] = true;
        result["rev"] = written.rev;
        after["_rev"] = written.rev;
    }
    result["komposition"] = after;
    return result;
}

std::vector<NamedMedium> ToolRunner::media(const auth::Principal& caller) {
    std::vector<NamedMedium> found;
    for (const char* type : {"Video", "Audio", "Image"}) {
        platform::DocumentQuery query;
        query.type = type;
        query.limit = 500;
        for (const auto& d : Documents(platform_.tenant_store).list(caller.tenant, query))
            found.push_back({d.id, lower(type)});
    }
    return found;
}

Json ToolRunner::list_media(const auth::Principal& caller) {
    Json items = Json::array();
    for (const auto& m : media(caller)) items.push_back({{"name", m.name}, {"kind", m.kind}});
    return {{"media", items}};
}

Json ToolRunner::explain_timing(const auth::Principal& caller, const Json& arguments) {
    double bpm = arguments.value("bpm", 0.0);
    double fps = 30;
    if (arguments.contains("id")) {
        const auto id = text_of(arguments, "id");
        const auto found = Documents(platform_.tenant_store).get(caller.tenant, id);
        if (!found || found->type != "Komposition") not_found("komposition", id);
        const auto komposition = komp::parse(found->body, id);
        if (bpm <= 0) bpm = komposition.effective_bpm();
        fps = komposition.config.framerate.as_double();
    }
    if (bpm <= 0) throw ToolRefused("invalid_arguments", "explain_timing: give bpm or id");
    const double beat_seconds = 60.0 / bpm;
    Json result = {{"bpm", bpm}};
    std::string text;
    const bool amount_given =
        arguments.contains("seconds") || arguments.contains("beats") || arguments.contains("bars");
    if (!amount_given) {
        // The tempo itself, in what it means for the cuts.
        const double bar_seconds = beat_seconds * kBeatsPerBar;
        result["beat_seconds"] = beat_seconds;
        result["bar_seconds"] = bar_seconds;
        result["frames_per_beat"] = beat_seconds * fps;
        text = decimal(bpm) + " BPM: a beat lasts " + decimal(beat_seconds) + " s (" +
               decimal(beat_seconds * fps) + " frames at " + decimal(fps) +
               " fps), a bar of 4 beats " + decimal(bar_seconds) + " s.";
    } else if (arguments.contains("seconds")) {
        const double seconds = arguments["seconds"].get<double>();
        const double beats = seconds / beat_seconds;
        result["seconds"] = seconds;
        result["beats"] = beats;
        text = decimal(seconds) + " s at " + decimal(bpm) + " BPM is " + decimal(beats) +
               " beats (" + decimal(beats / 4) + " bars of 4).";
    } else {
        const double beats = arguments.contains("bars") ? arguments["bars"].get<double>() * 4
                                                        : arguments.value("beats", 0.0);
        const double seconds = beats * beat_seconds;
        result["beats"] = beats;
        result["seconds"] = seconds;
        result["frames"] = std::llround(seconds * fps);
        text = decimal(beats) + " beats at " + decimal(bpm) + " BPM last " + decimal(seconds) +
               " s (" + std::to_string(std::llround(seconds * fps)) + " frames at " + decimal(fps) +
               " fps).";
    }
    result["text"] = text;
    return result;
}

Json ToolRunner::start_render(const auth::Principal& caller, const Json& arguments) {
    platform::RenderStart wanted;
    wanted.komposition_id = text_of(arguments, "id");
    auto& range = wanted.range;
    if (arguments.contains("from_beat")) range.from = Beats(arguments["from_beat"].get<double>());
    if (arguments.contains("to_beat")) range.to = Beats(arguments["to_beat"].get<double>());
    if (range.from && range.to && *range.to <= *range.from)
        throw ToolRefused("invalid_arguments", "start_render: to_beat must be after from_beat");
    std::optional<std::string> id;
    try {
        id = quotas_.start_renders(caller.tenant, caller.may(auth::Permission::batch), 1, [&] {
            return platform::Renders(platform_).start(caller.tenant, wanted);
        });
    } catch (const platform::QuotaExceeded& exceeded) {
        throw ToolRefused("quota", exceeded.what());
    }
    if (!id) not_found("komposition", wanted.komposition_id);
    return {{"render_id", *id}, {"komposition_id", wanted.komposition_id}};
}

Json ToolRunner::render_status(const auth::Principal& caller, const Json& arguments) {
    const auto id = text_of(arguments, "render_id");
    const auto render = platform::Renders(platform_).get(caller.tenant, id);
    if (!render) not_found("render", id);
    const auto progress = platform::render_progress(*render);
    return {{"render_id", id},
            {"state", platform::snapshot_json(*render)["execution"]["state"]},
            {"stage", progress.stage},
            {"frames_done", progress.frames_done},
            {"total_frames", progress.total_frames}};
}

Json ToolRunner::cancel_render(const auth::Principal& caller, const Json& arguments) {
    const auto id = text_of(arguments, "render_id");
    const auto cancelled = platform::Renders(platform_).cancel(caller.tenant, id);
    if (!cancelled) not_found("render", id);
    return {{"render_id", id}, {"cancelled", *cancelled}};
}

// The media are looked up by name in the caller's tenant only; what cannot be made (a
// medium that is not theirs, an unsure tempo without bpm, an id taken) says why.
Json ToolRunner::make_auto_komposition(const auth::Principal& caller, const Json& arguments) {
    platform::AutoSpec spec;
    spec.audio = text_of(arguments, "audio");
    spec.clips = arguments["clips"].get<std::vector<std::string>>();
    spec.settings.name = text_of(arguments, "id");
    spec.settings.bars_per_cut = arguments.value("bars_per_cut", spec.settings.bars_per_cut);
    if (arguments.contains("bpm")) spec.settings.bpm = arguments["bpm"].get<double>();
    try {
        const auto made =
            platform::MediaAnalyses(platform_, analyses_).create_auto(caller.tenant, spec);
        const auto body = Json::parse(made.body);
        return {{"id", made.id},
                {"rev", made.rev},
                {"audio", spec.audio},
                {"clips", spec.clips},
                {"bpm", body.value("bpm", Json(nullptr))},
                {"segments", body.value("segments", Json::array()).size()}};
    } catch (const platform::RevisionConflict&) {
        throw ToolRefused("conflict", "make_auto_komposition: \"" + spec.settings.name +
                                          "\" is taken: choose another id");
    } catch (const ToolRefused&) {
        throw;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::cancelled) throw;
        // It ran and could not make one: a tool error (MCP), not a malformed call.
        const std::string message = e.what();
        const bool missing = message.find(": no such medium") != std::string::npos;
        throw ToolRefused(missing ? "not_found" : "cannot_make",
                          "make_auto_komposition: " + message);
    }
}

InterpreterContext ToolRunner::context(const auth::Principal& caller,
                                       const std::string& komposition_id) {
    InterpreterContext context;
    context.media = media(caller);
    if (komposition_id.empty()) return context;
    const auto found = Documents(platform_.tenant_store).get(caller.tenant, komposition_id);
    if (!found || found->type != "Komposition") not_found("komposition", komposition_id);
    const auto komposition = komp::parse(found->body, komposition_id);
    context.komposition_id = komposition_id;
    context.bpm = komposition.effective_bpm();
    context.segment_count = static_cast<int>(komposition.segments.size());
    for (const auto& source : komposition.sources)
        context.sources.push_back({source.id, media_kind_name(source.mediatype)});
    return context;
}

}  // namespace kompo::assistant
