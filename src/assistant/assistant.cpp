#include "assistant/assistant.hpp"

#include <sstream>

#include "auth/audit.hpp"

namespace kompo::assistant {

namespace {

std::string number_text(const Json& value) {
    std::ostringstream out;
    out << value.get<double>();
    return out.str();
}

std::string describe_edit(const Json& edit) {
    const auto op = edit["op"].get<std::string>();
    if (op == "set_bpm") return "tempo " + number_text(edit["bpm"]) + " BPM";
    if (op == "set_size")
        return "size " + number_text(edit["width"]) + "x" + number_text(edit["height"]);
    if (op == "set_fit")
        return edit["fit"] == "crop" ? "crop to fill the frame" : "letterbox (no cropping)";
    if (op == "set_framerate") return number_text(edit["fps"]) + " frames per second";
    if (op == "set_first_beat")
        return "the song's first beat at " + number_text(edit["seconds"]) + " s";
    if (op == "swap_segments")
        return "segments " + number_text(edit["first"]) + " and " + number_text(edit["second"]) +
               " swapped";
    return edit["source"].get<std::string>() + " on beats " + number_text(edit["from_beat"]) +
           " to " + number_text(edit["to_beat"]);
}

std::string refusal_reply(const Refusal& refusal, const AssistantLimits& limits) {
    if (refusal.reason == "too_long")
        return "Your request is too long: please keep it under " +
               std::to_string(limits.max_input_bytes) + " characters.";
    if (refusal.reason == "rate") return "Too many requests at once: please wait a minute.";
    if (refusal.reason == "quota")
        return "You have used your assistant allowance (" + refusal.detail +
               "); it renews at midnight UTC.";
    if (refusal.reason == "needs_media")
        return refusal.detail == "which song"
                   ? "Which song should it follow? Name one of your audio media."
                   : "A music video needs a song and at least one clip: upload them first.";
    if (refusal.reason == "needs_komposition")
        return "Open a komposition first: that request changes or renders one.";
    return kRefusal;
}

// Calls from words or from a model only ever propose edits: storing one is the user's
// decision (accepting the proposal).
ToolCall as_proposal(ToolCall call) {
    if (call.name == "edit_komposition" && call.arguments.is_object())
        call.arguments.erase("apply");
    return call;
}

}  // namespace

Json Answer::to_json() const {
    Json out = {{"reply", reply},
                {"refused", refused},
                {"calls", calls},
                {"backend", backend},
                {"tokens", tokens}};
    if (refused) out["reason"] = reason;
    out["proposal"] = proposal ? *proposal : Json(nullptr);
    if (!notice.empty()) out["notice"] = notice;
    return out;
}

std::string describe_result(const ToolCall& call, const Json& result) {
    if (call.name == "edit_komposition") {
        std::string text = result.value("applied", false) ? "Changed: " : "Proposed change: ";
        const auto& edits = call.arguments["edits"];
        for (std::size_t i = 0; i < edits.size(); ++i)
            text += (i ? "; " : "") + describe_edit(edits[i]);
        return text + (result.value("applied", false) ? "." : ". Accept or reject it.");
    }
    if (call.name == "explain_timing") return result["text"].get<std::string>();
    if (call.name == "start_render") {
        std::string range;
        if (call.arguments.contains("from_beat") || call.arguments.contains("to_beat"))
            range = " (beats " + number_text(call.arguments.value("from_beat", Json(0))) + " to " +
                    (call.arguments.contains("to_beat") ? number_text(call.arguments["to_beat"])
                                                        : std::string("the end")) +
                    ")";
        return "Started render " + result["render_id"].get<std::string>() + " of " +
               result["komposition_id"].get<std::string>() + range + ".";
    }
    if (call.name == "render_status")
        return "Render " + result["render_id"].get<std::string>() + " is " +
               result["state"].get<std::string>() + " (" + result["frames_done"].dump() + " of " +
               result["total_frames"].dump() + " frames).";
    if (call.name == "cancel_render")
        return result["cancelled"].get<bool>() ? "Cancelled the render."
                                               : "That render had already ended.";
    if (call.name == "make_auto_komposition")
        return "Made the music video " + result["id"].get<std::string>() + ": " +
               std::to_string(result["segments"].get<std::size_t>()) + " cuts between " +
               std::to_string(result["clips"].size()) + " clips on the beat of " +
               result["audio"].get<std::string>() +
               (result["bpm"].is_number() ? " at " + number_text(result["bpm"]) + " BPM" : "") +
               ". Open it in the editor to render it.";
    if (call.name == "get_komposition")
        return "Komposition " + result["id"].get<std::string>() + ", revision " +
               result["rev"].get<std::string>() + ":\n" + result["komposition"].dump(2);
    if (call.name != "list_kompositions" && call.name != "list_media") return result.dump(2);
    const bool kompositions = call.name == "list_kompositions";
    const auto& items = result[kompositions ? "kompositions" : "media"];
    std::string text = std::string("You have ") + std::to_string(items.size()) +
                       (kompositions ? " kompositions" : " media");
    for (std::size_t i = 0; i < items.size() && i < 20; ++i)
        text += (i ? ", " : ": ") + items[i][kompositions ? "id" : "name"].get<std::string>();
    return text + ".";
}

Assistant::Assistant(platform::Platform& platform, platform::Quotas& quotas,
                     AssistantSettings settings, Clock clock)
    : platform_(platform),
      tools_(platform, quotas, settings.analyses),
      meter_(settings.limits, std::move(clock)),
      model_(settings.model.base_url.empty() ? nullptr
                                             : std::make_unique<ModelBackend>(settings.model)) {}

Answer Assistant::refuse(Answer answer, const Refusal& refusal) {
    answer.refused = true;
    answer.reason = refusal.reason;
    answer.reply = refusal_reply(refusal, meter_.limits());
    answer.calls = Json::array();
    answer.proposal.reset();
    return answer;
}

Answer Assistant::ask(const auth::Principal& caller, const AskRequest& request) {
    Answer answer;
    answer.tokens = estimate_tokens(request.message.size());
    std::optional<Refusal> refusal = check_length(request.message, meter_.limits().max_input_bytes);
    if (refusal)
        meter_.charge(caller, 0, true);
    else
        refusal = meter_.admit(caller, answer.tokens);  // counts its own refusals
    std::string explanation;  // a tool's own one-line reason, for the person
    if (!refusal) {
        const auto clean = strip_invisible(request.message);
        refusal = detect_injection(clean);
        if (!refusal) {
            try {
                if (!request.komposition_id.empty())
                    check_call({"get_komposition", {{"id", request.komposition_id}}});
                answer = understand(caller, clean, tools_.context(caller, request.komposition_id));
            } catch (const ToolRefused& refused) {
                refusal = Refusal{refused.code(), refused.what()};
                explanation = refused.what();
            }
        }
        if (refusal) meter_.charge(caller, 0, true);
    }
    if (refusal) {
        answer = refuse(std::move(answer), *refusal);
        if (!explanation.empty()) answer.reply = explanation;
    }
    Json tools = Json::array();
    for (const auto& call : answer.calls) tools.push_back(call["name"]);
    audit(caller, "assistant.request", request.komposition_id, request.remote,
          answer.refused ? "refused" : "ok",
          {{"reason", answer.reason},
           {"rule", refusal ? refusal->detail : ""},
           {"tools", tools},
           {"backend", answer.backend},
           {"tokens", answer.tokens}});
    return answer;
}

Answer Assistant::understand(const auth::Principal& caller, const std::string& clean,
                             const InterpreterContext& context) {
    Answer answer;
    answer.tokens = estimate_tokens(clean.size());
    std::vector<ToolCall> calls;
    std::optional<Refusal> refusal;
    std::optional<ModelAnswer> modelled;
    if (model_) {
        modelled = model_->ask(delimit(clean), context);
        if (!modelled)
            answer.notice = "The model is unreachable: the built-in interpreter answered.";
    }
    if (modelled) {
        answer.backend = "model";
        answer.tokens += modelled->tokens;
        meter_.charge(caller, modelled->tokens, false);
        calls = modelled->calls;
        // A model's own words are never shown: only tool results or the fixed refusal.
        if (calls.empty()) refusal = Refusal{"off_topic", "model answered without a tool"};
    } else {
        auto interpretation = interpret(clean, context);
        calls = std::move(interpretation.calls);
        refusal = interpretation.refusal;
    }
    if (refusal) throw ToolRefused(refusal->reason, refusal_reply(*refusal, meter_.limits()));
    for (auto& call : calls) call = as_proposal(std::move(call));
    run_calls(caller, calls, answer);
    return answer;
}

void Assistant::run_calls(const auth::Principal& caller, const std::vector<ToolCall>& calls,
                          Answer& answer) {
    std::string reply;
    for (const auto& call : calls) {
        const auto result = tools_.run(caller, call);
        answer.calls.push_back(
            {{"name", call.name}, {"arguments", call.arguments}, {"result", result}});
        if (call.name == "edit_komposition") answer.proposal = result;
        reply += (reply.empty() ? "" : " ") + describe_result(call, result);
    }
    answer.reply = reply;
}

Json Assistant::call_tool(const auth::Principal& caller, const ToolCall& call,
                          const std::string& remote) {
    const auto tokens = estimate_tokens(call.arguments.dump().size());
    Json detail = {{"tool", call.name}, {"tokens", tokens}, {"backend", "mcp"}};
    if (auto refusal = meter_.admit(caller, tokens)) {
        detail["reason"] = refusal->reason;
        audit(caller, "assistant.tool", call.name, remote, "refused", detail);
        throw ToolRefused(refusal->reason, refusal_reply(*refusal, meter_.limits()));
    }
    try {
        auto result = tools_.run(caller, call);
        audit(caller, "assistant.tool", call.name, remote, "ok", detail);
        return result;
    } catch (const ToolRefused& refused) {
        meter_.charge(caller, 0, true);
        detail["reason"] = refused.code();
        audit(caller, "assistant.tool", call.name, remote, "refused", detail);
        throw;
    }
}

void Assistant::audit(const auth::Principal& caller, const std::string& action,
                      const std::string& target, const std::string& remote,
                      const std::string& outcome, Json detail) {
    auto record = auth::audit_of(caller, action, target, remote);
    record.outcome = outcome;
    record.detail = std::move(detail);
    auth::record_audit(platform_.account_store, record);
}

}  // namespace kompo::assistant
