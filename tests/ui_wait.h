#pragma once
// The offscreen window tests' one way of waiting: process events until `done` holds or the
// timeout passes (false then), so a test never sleeps a fixed time and hopes.
#include <QElapsedTimer>
#include <QTest>
#include <functional>

namespace loadlab::ui {

inline bool wait_until(const std::function<bool()>& done, int timeout_ms = 5000) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeout_ms) return false;
    QTest::qWait(20);
  }
  return true;
}

}  // namespace loadlab::ui
