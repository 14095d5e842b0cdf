"""In real Chromium, in Chinese: the check-in desk (static/events/desk.js) at a co-organiser.

1. The connection drops (``context.set_offline``); two scans typed by the USB scanner stay in
   the browser's queue ("2 条扫码待发送"); the connection returns; the queue is sent and the
   registration has exactly one check-in (the second scan answers "already checked in").
2. The server records a scan but its answer is lost on the way back: the desk keeps the scan and
   sends it again with the same id; the server repeats its first answer, records nothing new.
3. The phone camera: Chromium's fake camera plays a video of the ticket's QR code; the page
   decodes it with the vendored jsQR and checks the person in, once while the code stays in view.

ORM calls stay outside the browser blocks (see huifu.core.testing.browser)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import qrcode
from django.utils import timezone
from PIL import Image

from huifu.core.testing.browser import CHROMIUM, CHROMIUM_ARGS, browser_login, open_browser
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import CheckIn, DeskScan, Session
from huifu.events.tickets import ticket_token

from .conftest import session_data

pytestmark = pytest.mark.browser


def shot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def desk_day(coordinator, university):
    """Today's session co-organised by the university, with two confirmed registrations."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="training", title_zh="签到台测试")
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university],
        **session_data(title="期权合规培训", date=day, capacity=10, audiences=["members_practitioners"]),
    )
    session = services.session_publish(actor=coordinator, session=session)
    first = services.registration_create(actor=UserFactory(email="a@example.com", full_name="赵一"), session=session)
    second = services.registration_create(actor=UserFactory(email="b@example.com", full_name="钱二"), session=session)
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate())  # the day has come
    return session, first, second


def test_offline_scans_are_queued_and_sent_once(
    chromium_available, live_server, tmp_path, password, university_user, desk_day
):
    session, first, _second = desk_day
    token = ticket_token(first)
    url = f"{live_server.url}/events/sessions/{session.pk}/desk/?desk=2号台"
    with open_browser(width=1366) as page:
        browser_login(page, live_server.url, university_user.email, password)
        page.goto(url)
        assert page.locator("#desk-camera").is_visible()  # the script ran (no CSP refusal)
        page.context.set_offline(True)
        for _ in range(2):  # the same ticket twice, e.g. scanned again by mistake
            page.fill("#f-token", token)
            page.press("#f-token", "Enter")
        page.wait_for_function("document.getElementById('desk-queue').textContent.startsWith('2 条扫码待发送')")
        queued = page.evaluate(f"JSON.parse(localStorage.getItem('huifu.desk.queue.{session.pk}'))")
        offline_text = page.locator("#desk-queue").inner_text()
        shot(page, tmp_path, "desk-1-offline-queue")
        page.context.set_offline(False)
        page.wait_for_selector("#desk-queue", state="hidden", timeout=30_000)
        page.wait_for_function("document.querySelectorAll('#desk-log li').length === 2")
        log = page.locator("#desk-log li").all_inner_texts()
        counts = page.locator("#desk-counts").inner_text()
        left = page.evaluate(f"localStorage.getItem('huifu.desk.queue.{session.pk}')")
        shot(page, tmp_path, "desk-2-sent")
    print("screenshots:", tmp_path)
    assert len(queued) == 2 and queued[0]["id"] != queued[1]["id"] and queued[0]["desk"] == "2号台"
    assert "网络已断开" in offline_text
    assert log[1] == "赵一：签到成功。" and log[0].startswith("赵一：已于") and "在2号台签到" in log[0]
    assert counts == "已签到：1 / 2"
    assert left == "[]"
    check_in = CheckIn.objects.get()
    assert check_in.registration == first and check_in.desk == "2号台" and check_in.checked_in_by == university_user
    assert DeskScan.objects.count() == 2


def test_a_lost_answer_is_resent_with_the_same_id(
    chromium_available, live_server, tmp_path, password, university_user, desk_day
):
    session, _first, second = desk_day
    url = f"{live_server.url}/events/sessions/{session.pk}/desk/"
    lost = []

    def lose_the_first_answer(route: Any) -> None:
        if lost:
            route.continue_()
            return
        route.fetch()  # the server receives and records the scan …
        lost.append(route.request.post_data_json["scan_id"])
        route.abort("connectionreset")  # … and its answer never reaches the desk

    with open_browser(width=390, height=844) as page:
        browser_login(page, live_server.url, university_user.email, password)
        page.goto(url)
        page.route("**/desk/scans/", lose_the_first_answer)
        page.fill("#f-desk", "手机台")
        page.fill("#f-token", ticket_token(second))
        page.press("#f-token", "Enter")
        page.wait_for_function("document.getElementById('desk-queue').textContent.startsWith('1 条扫码待发送')")
        shot(page, tmp_path, "desk-3-answer-lost-phone")
        # The retry runs every 10 seconds; the "online" event sends at once.
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_selector("#desk-queue", state="hidden", timeout=30_000)
        log = page.locator("#desk-log li").all_inner_texts()
        shot(page, tmp_path, "desk-4-resent-phone")
    assert log == ["钱二：签到成功。"]
    scan = DeskScan.objects.get()
    assert str(scan.client_scan_id) == lost[0] and scan.desk == "手机台"
    assert CheckIn.objects.filter(registration=second).count() == 1


def qr_video(path: Path, text: str, *, width: int = 640, height: int = 480, frames: int = 10) -> Path:
    """A short Y4M video (what Chromium's fake camera plays, in a loop) showing the QR code of
    ``text`` on white."""
    code = qrcode.make(text, box_size=8, border=4).get_image().convert("L")
    frame = Image.new("L", (width, height), 255)
    frame.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    luma, chroma = frame.tobytes(), bytes([128]) * (width * height // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma)
    return path


@contextmanager
def camera_browser(video: Path, *, width: int, height: int) -> Iterator[Any]:
    """Chromium whose camera plays ``video``, camera permission granted."""
    from playwright.sync_api import sync_playwright

    fake_camera = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake_camera])
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
            context.grant_permissions(["camera"])
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
            context.close()
        finally:
            browser.close()


def test_the_camera_reads_the_ticket(chromium_available, live_server, tmp_path, password, university_user, desk_day):
    session, first, _second = desk_day
    video = qr_video(tmp_path / "ticket.y4m", ticket_token(first))
    with camera_browser(video, width=390, height=844) as page:
        browser_login(page, live_server.url, university_user.email, password)
        page.goto(f"{live_server.url}/events/sessions/{session.pk}/desk/?desk=手机台")
        page.click("#desk-camera")
        page.wait_for_selector("#desk-log li", timeout=30_000)
        page.wait_for_timeout(1500)  # the code stays in front of the camera: still one scan
        shot(page, tmp_path, "desk-5-camera-phone")
        log = page.locator("#desk-log li").all_inner_texts()
        page.click("#desk-camera-stop")
        camera_hidden = page.locator("#desk-camera-box").is_hidden()
    assert log == ["赵一：签到成功。"] and camera_hidden
    assert DeskScan.objects.get().desk == "手机台"
    assert CheckIn.objects.get().registration == first
