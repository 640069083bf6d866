#!/usr/bin/env bash
# The assistant's red-team figures: block rate on tests/assistant/hostile.jsonl (refused
# outright, and tool effects prevented) and false-refusal rate on legitimate.jsonl, as the
# corpus tests measure them over a real platform. Usage: bench/assistant_redteam.sh
# (builds unit_tests in the release preset first).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target unit_tests >/dev/null
build/release/tests/unit_tests \
  --gtest_filter='Assistant.HostileCorpusIsRefusedAndNeverHasAToolEffect:Assistant.EveryLegitimateCorpusRequestGivesItsExpectedKomposition' \
  | grep -E '^(  [a-z_]+ +[0-9]+ of|block rate|false-refusal rate)'
