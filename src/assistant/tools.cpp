#include "assistant/tools.hpp"

#include <cctype>
#include <map>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace kompo::assistant {

namespace {

// Ids and names: letters, digits and a few separators that never make a path or a URL
// (no '/', '\\', ':', '%', '?'); ".." is refused separately.
constexpr const char* kIdPattern = "^[A-Za-z0-9_][A-Za-z0-9_ .()-]{0,127}$";
constexpr const char* kNamePattern = "^[A-Za-z0-9_][A-Za-z0-9_ .()'-]{0,127}$";

Json id_schema(const char* what) {
    return {{"type", "string"}, {"pattern", kIdPattern}, {"description", what}};
}

Json name_schema(const char* what) {
    return {{"type", "string"}, {"pattern", kNamePattern}, {"description", what}};
}

Json beat_schema(const char* what) {
    return {{"type", "number"}, {"minimum", 0}, {"maximum", 100000}, {"description", what}};
}

Json object_schema(Json properties, Json required) {
    return {{"type", "object"},
            {"properties", std::move(properties)},
            {"required", std::move(required)},
            {"additionalProperties", false}};
}

Json edit_schema(const char* op, Json properties, Json required) {
    properties["op"] = {{"const", op}};
    required.push_back("op");
    return object_schema(std::move(properties), std::move(required));
}

Json edits_schema() {
    const Json dimension = {{"type", "integer"}, {"minimum", 16}, {"maximum", 7680}};
    const Json one_of = Json::array({
        edit_schema("set_bpm",
                    {{"bpm", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 999}}}},
                    {"bpm"}),
        edit_schema(
            "place_source",
            {{"source", name_schema("a source of the komposition or a medium of the library")},
             {"from_beat", beat_schema("first beat (inclusive)")},
             {"to_beat", beat_schema("last beat (exclusive)")}},
            {"source", "from_beat", "to_beat"}),
        edit_schema("set_size", {{"width", dimension}, {"height", dimension}}, {"width", "height"}),
        edit_schema("set_fit", {{"fit", {{"enum", {"crop", "letterbox"}}}}}, {"fit"}),
        edit_schema("swap_segments",
                    {{"first", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}}},
                     {"second", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}}}},
                    {"first", "second"}),
        edit_schema("set_first_beat",
                    {{"seconds", {{"type", "number"}, {"minimum", 0}, {"maximum", 86400}}}},
                    {"seconds"}),
        edit_schema("set_framerate",
                    {{"fps", {{"type", "number"}, {"minimum", 1}, {"maximum", 240}}}}, {"fps"}),
    });
    return {{"type", "array"}, {"minItems", 1}, {"maxItems", 32}, {"items", {{"oneOf", one_of}}}};
}

std::vector<ToolSpec> make_specs() {
    using auth::Permission;
    const Json empty = object_schema(Json::object(), Json::array());
    return {
        {"list_kompositions", "The caller's kompositions (id, name, revision).",
         object_schema({{"name_contains", name_schema("part of the name")}}, Json::array()),
         Permission::read, true},
        {"get_komposition", "One komposition of the caller, in canonical form.",
         object_schema({{"id", id_schema("komposition id")}}, {"id"}), Permission::read, true},
        {"edit_komposition",
         "Edits a komposition: the result must pass the validator. Without apply it is only "
         "proposed (the edited komposition and its JSON Patch); with apply it is stored.",
         object_schema({{"id", id_schema("komposition id")},
                        {"edits", edits_schema()},
                        {"apply", {{"type", "boolean"}}},
                        {"rev", {{"type", "string"}, {"pattern", "^[0-9]{1,9}-[0-9a-f]{1,64}$"}}}},
                       {"id", "edits"}),
         Permission::read, false},
        {"list_media", "The caller's media library (name and kind of each medium).", empty,
         Permission::read, true},
        {"explain_timing",
         "Beat/bar/second arithmetic: how long N beats or bars last at a tempo, or how many "
         "beats fit in N seconds (4 beats to the bar); with no amount, the tempo itself (beat, "
         "bar and frame lengths).",
         object_schema({{"beats", beat_schema("a number of beats")},
                        {"bars", beat_schema("a number of bars")},
                        {"seconds", {{"type", "number"}, {"minimum", 0}, {"maximum", 86400}}},
                        {"bpm", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 999}}},
                        {"id", id_schema("komposition whose tempo applies")}},
                       Json::array()),
         Permission::read, true},
        {"start_render", "Starts a render of a komposition, optionally of a beat range.",
         object_schema({{"id", id_schema("komposition id")},
                        {"from_beat", beat_schema("first beat (inclusive)")},
                        {"to_beat", beat_schema("last beat (exclusive)")}},
                       {"id"}),
         Permission::render, false},
        {"render_status", "A render's state and progress.",
         object_schema({{"render_id", id_schema("render id")}}, {"render_id"}), Permission::read,
         true},
        {"make_auto_komposition",
         "Makes a music video: a new komposition cutting between the clips on the beat of the "
         "song (its tempo and first downbeat analysed), and stores it.",
         object_schema({{"audio", name_schema("the song: an audio medium of the library")},
                        {"clips",
                         {{"type", "array"},
                          {"minItems", 1},
                          {"maxItems", 50},
                          {"items", name_schema("a video medium of the library")}}},
                        {"bars_per_cut", {{"type", "integer"}, {"minimum", 1}, {"maximum", 64}}},
                        {"bpm", {{"type", "number"}, {"minimum", 10}, {"maximum", 999}}},
                        {"id", id_schema("the new komposition's id (default: auto-<random>)")}},
                       {"audio", "clips"}),
         Permission::edit, false},
        {"cancel_render", "Cancels a queued or running render.",
         object_schema({{"render_id", id_schema("render id")}}, {"render_id"}), Permission::render,
         false},
    };
}

// Strings anywhere in the arguments that could reach outside the tenant.
void check_confined(const Json& value, const std::string& where) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.find("..") != std::string::npos)
            throw ToolRefused("invalid_arguments", where + ": \"..\" is not allowed");
        return;
    }
    if (value.is_object()) {
        for (const auto& [key, member] : value.items()) check_confined(member, where + "." + key);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            check_confined(value[i], where + "[" + std::to_string(i) + "]");
    }
}

// valijson's context is a path like ["<root>", "[edits]", "[0]", "[bpm]"]: "edits[0].bpm".
std::string field_of(const std::vector<std::string>& context) {
    std::string field;
    for (std::size_t i = 1; i < context.size(); ++i) {
        auto part = context[i];
        if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
            part = part.substr(1, part.size() - 2);
        const bool index = !part.empty() && std::isdigit(static_cast<unsigned char>(part[0]));
        field += index ? "[" + part + "]" : (field.empty() ? "" : ".") + part;
    }
    return field;
}

class Validators {
  public:
    explicit Validators(const std::vector<ToolSpec>& specs) {
        for (const auto& spec : specs) {
            auto& schema = schemas_[spec.name];
            valijson::SchemaParser parser;
            valijson::adapters::NlohmannJsonAdapter adapter(spec.input_schema);
            parser.populateSchema(adapter, schema);
        }
    }
    void check(const ToolCall& call) const {
        valijson::Validator validator;
        valijson::ValidationResults results;
        valijson::adapters::NlohmannJsonAdapter target(call.arguments);
        if (validator.validate(schemas_.at(call.name), target, &results)) return;
        valijson::ValidationResults::Error error;
        std::string message;
        // The deepest error names the field best; oneOf reports each branch, so keep the first.
        while (results.popError(error)) {
            if (message.empty() || error.context.size() > 1) {
                const auto field = field_of(error.context);
                message = call.name + (field.empty() ? "" : "." + field) + ": " + error.description;
                if (error.context.size() > 2) break;
            }
        }
        throw ToolRefused("invalid_arguments", message);
    }

  private:
    std::map<std::string, valijson::Schema> schemas_;
};

const Validators& validators() {
    static const Validators instance(tool_specs());
    return instance;
}

}  // namespace

const std::vector<ToolSpec>& tool_specs() {
    static const std::vector<ToolSpec> specs = make_specs();
    return specs;
}

const ToolSpec& tool_spec(const std::string& name) {
    for (const auto& spec : tool_specs()) {
        if (spec.name == name) return spec;
    }
    std::string shown = name.substr(0, 64);
    for (char& c : shown) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '?';
    }
    throw ToolRefused("unknown_tool", "tool \"" + shown + "\" is not one the assistant may use");
}

void check_call(const ToolCall& call) {
    tool_spec(call.name);
    if (!call.arguments.is_object())
        throw ToolRefused("invalid_arguments", call.name + ": arguments must be an object");
    validators().check(call);
    check_confined(call.arguments, call.name);
}

}  // namespace kompo::assistant
