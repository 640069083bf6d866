#include "render/render.hpp"

#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "media/execute.hpp"
#include "render/parallel.hpp"
#include "render/scoped_path.hpp"
#include "render/sources.hpp"

namespace kompo::render {

namespace fs = std::filesystem;

namespace {

int cores(int requested) {
    if (requested > 0) return requested;
    return std::max(1u, std::thread::hardware_concurrency());
}

// Progress of concurrently running pieces, summed and reported one call at a time. The
// frequent progress calls are also where a caller's cancellation reaches the pieces.
class ProgressTracker {
  public:
    ProgressTracker(const RenderOptions& options, std::size_t pieces, std::int64_t total)
        : options_(options), done_(pieces, 0), total_(total) {}

    std::atomic<bool>& stop() { return stop_; }

    void update(std::size_t piece, std::int64_t done) {
        if (options_.cancelled && *options_.cancelled) stop_ = true;
        std::lock_guard lock(mutex_);
        done_[piece] = done;
        report("segments");
    }
    void stage(const std::string& name) {
        if (options_.cancelled && *options_.cancelled) stop_ = true;
        std::lock_guard lock(mutex_);
        report(name);
    }
    void throw_if_cancelled() const {
        if (options_.cancelled && *options_.cancelled) throw Error::cancelled("render cancelled");
    }

  private:
    void report(const std::string& stage) {
        if (!options_.on_progress) return;
        std::int64_t sum = 0;
        for (auto d : done_) sum += d;
        options_.on_progress(Progress{sum, total_, stage});
    }

    const RenderOptions& options_;
    std::mutex mutex_;
    std::vector<std::int64_t> done_;
    std::int64_t total_;
    std::atomic<bool> stop_{false};
};

struct WorkFiles {
    fs::path dir;
    std::vector<fs::path> segments;
    fs::path sound;
    fs::path joined;
};

WorkFiles work_files(const fs::path& dir, const plan::Plan& plan) {
    WorkFiles files{dir, {}, {}, {}};
    const auto video_ext = media::intermediate_video_extension(plan.format);
    for (std::size_t i = 0; i < plan.segments.size(); ++i) {
        files.segments.push_back(dir / ("piece-" + std::to_string(i + 1) + video_ext));
    }
    files.sound = dir / ("sound" + media::intermediate_audio_extension(plan.format));
    files.joined = dir / ("joined" + video_ext);
    return files;
}

// A sibling of the output, hidden, unique to this process: renaming it is atomic.
fs::path sibling(const fs::path& output, const std::string& suffix) {
    const auto name = "." + output.filename().string() + ".kompo-" + std::to_string(getpid());
    return output.parent_path() / (name + suffix);
}

void render_pieces(const plan::Plan& plan, const WorkFiles& files, ProgressTracker& tracker,
                   int threads) {
    std::vector<std::function<void()>> tasks;
    const int workers = std::min<int>(threads, static_cast<int>(plan.segments.size()) + 1);
    media::ExecContext base;
    base.threads = std::max(1, threads / std::max(1, workers));
    base.cancelled = &tracker.stop();
    // The soundtrack first: it is one long task, the segments fill in around it.
    tasks.emplace_back(
        [&plan, &files, base] { media::render_sound(plan.sound, files.sound.string(), base); });
    for (std::size_t i = 0; i < plan.segments.size(); ++i) {
        tasks.emplace_back([&plan, &files, &tracker, base, i] {
            auto ctx = base;
            ctx.on_progress = [&tracker, i](std::int64_t done) { tracker.update(i, done); };
            media::render_segment(plan.segments[i], files.segments[i].string(), ctx);
            tracker.update(i, plan.segments[i].frame_count);
        });
    }
    run_parallel(tasks, workers, [&tracker] { tracker.stop() = true; });
}

}  // namespace

plan::Plan plan_render(const komp::Komposition& komposition, const RenderOptions& options) {
    if (komposition.type != "Komposition") {
        throw Error::invalid("type: \"" + komposition.type +
                             "\" describes one medium; only \"Komposition\" documents render");
    }
    const auto media = probe_sources(komposition, options.range, options.media_root);
    return plan::make_plan(komposition, media, plan::PlanOptions{options.range});
}

plan::Plan render_file(const komp::Komposition& komposition, const fs::path& output,
                       const RenderOptions& options) {
    auto plan = plan_render(komposition, options);
    for (const auto& warning : plan.warnings) {
        if (options.on_warning) options.on_warning(warning);
    }
    const fs::path out = fs::absolute(output);
    if (!fs::is_directory(out.parent_path())) {
        throw Error::io(output.string() + ": cannot write: the folder " +
                        out.parent_path().string() + " does not exist");
    }
    ScopedPath work_dir(sibling(out, ".work"));
    std::error_code ec;
    fs::create_directory(work_dir.path(), ec);
    if (ec)
        throw Error::io(out.parent_path().string() +
                        ": cannot create work folder: " + ec.message());
    ScopedPath partial(sibling(out, ".partial" + out.extension().string()));

    ProgressTracker tracker(options, plan.segments.size(), plan.total_frames);
    const auto files = work_files(work_dir.path(), plan);
    const int threads = cores(options.threads);
    render_pieces(plan, files, tracker, threads);

    media::ExecContext ctx;
    ctx.threads = threads;
    ctx.cancelled = &tracker.stop();
    tracker.stage("join");
    media::join_segments(
        plan.join,
        [&] {
            std::vector<std::string> paths;
            for (const auto& p : files.segments) paths.push_back(p.string());
            return paths;
        }(),
        files.joined.string(), ctx);
    tracker.stage("mux");
    media::mux(plan.mux, files.joined.string(), files.sound.string(), partial.path().string(), ctx);
    tracker.throw_if_cancelled();

    fs::rename(partial.path(), out, ec);
    if (ec) throw Error::io(out.string() + ": cannot write the output: " + ec.message());
    partial.release();
    return plan;
}

}  // namespace kompo::render
