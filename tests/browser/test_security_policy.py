"""The browser enforces the site's Content-Security-Policy: an injected inline script does
not run, and the violation is reported (which fails every other journey, see conftest)."""


def test_an_injected_inline_script_is_blocked_and_reported(
    chromium_browser, live_server, wagtail_root
):
    context = chromium_browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    reported: list[str] = []
    page.on("console", lambda message: reported.append(message.text))
    page.goto("/compte/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in text for text in reported), reported
    context.close()
