#pragma once
// Distinct types for time units: mixing beats, seconds and frame numbers is where
// off-by-one-frame bugs live, so the compiler keeps them apart.
#include <cmath>
#include <compare>
#include <cstdint>
#include <numeric>

namespace kompo {

template <typename Tag, typename Rep>
class Quantity {
  public:
    constexpr Quantity() = default;
    constexpr explicit Quantity(Rep value) : value_(value) {}
    constexpr Rep value() const { return value_; }

    constexpr auto operator<=>(const Quantity&) const = default;
    constexpr Quantity operator+(Quantity other) const { return Quantity(value_ + other.value_); }
    constexpr Quantity operator-(Quantity other) const { return Quantity(value_ - other.value_); }
    constexpr Quantity& operator+=(Quantity other) {
        value_ += other.value_;
        return *this;
    }
    constexpr Quantity& operator-=(Quantity other) {
        value_ -= other.value_;
        return *this;
    }
    constexpr Quantity operator*(Rep factor) const { return Quantity(value_ * factor); }

  private:
    Rep value_{};
};

using Seconds = Quantity<struct SecondsTag, double>;
using Beats = Quantity<struct BeatsTag, double>;

// How many frames: a length, not a position. Counts add; a count scales a piece into
// chunks; a count may be compared with another. Mixed with positions only where that
// makes sense (below): position + count, position - position.
class FrameCount {
  public:
    constexpr FrameCount() = default;
    constexpr explicit FrameCount(std::int64_t value) : value_(value) {}
    constexpr std::int64_t value() const { return value_; }

    constexpr auto operator<=>(const FrameCount&) const = default;
    constexpr FrameCount operator+(FrameCount other) const {
        return FrameCount(value_ + other.value_);
    }
    constexpr FrameCount operator-(FrameCount other) const {
        return FrameCount(value_ - other.value_);
    }
    constexpr FrameCount& operator+=(FrameCount other) {
        value_ += other.value_;
        return *this;
    }
    constexpr FrameCount& operator++() {
        ++value_;
        return *this;
    }

  private:
    std::int64_t value_ = 0;
};

// An output frame number, counted from the first frame of the render range.
class FrameIndex {
  public:
    constexpr FrameIndex() = default;
    constexpr explicit FrameIndex(std::int64_t value) : value_(value) {}
    constexpr std::int64_t value() const { return value_; }

    constexpr auto operator<=>(const FrameIndex&) const = default;
    // The frame `count` frames on.
    constexpr FrameIndex operator+(FrameCount count) const {
        return FrameIndex(value_ + count.value());
    }
    // The frames from `first` up to (not including) this one.
    constexpr FrameCount operator-(FrameIndex first) const {
        return FrameCount(value_ - first.value_);
    }

  private:
    std::int64_t value_ = 0;
};

// Frames per second as an exact fraction (24000/1001 for "23.976").
struct FrameRate {
    int num = 30;
    int den = 1;

    constexpr double as_double() const { return static_cast<double>(num) / den; }
    // Start time of an output frame.
    constexpr Seconds time_of(FrameIndex frame) const {
        return Seconds(static_cast<double>(frame.value()) * den / num);
    }
    // How long `count` frames last.
    constexpr Seconds duration_of(FrameCount count) const {
        return Seconds(static_cast<double>(count.value()) * den / num);
    }
    // F(t) = round(t * fps), the contract's rounding; a tiny bias keeps exact halves stable.
    FrameIndex frame_at(Seconds t) const {
        long double frames = static_cast<long double>(t.value()) * num / den;
        return FrameIndex(static_cast<std::int64_t>(std::llround(frames + 1e-9L)));
    }
    constexpr bool operator==(const FrameRate& other) const {
        return static_cast<long long>(num) * other.den == static_cast<long long>(other.num) * den;
    }
};

}  // namespace kompo
