package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.Wait;

/**
 * The web console in a real browser: Debian's headless Chromium, driven through its chromedriver, against
 * the packaged jar run as a separate process. Each step leaves a screenshot in
 * {@code target/console-screenshots/}.
 *
 * <p>The browser reaches nothing but this machine's loopback: its proxy is a closed port on 127.0.0.1, which
 * Chromium bypasses only for loopback addresses, and its background services are off.
 */
class ConsoleIT {
    private static final String PASSWORD = "console-admin-password";
    private static final String VIEWER = "viewer";
    private static final String VIEWER_PASSWORD = "console-viewer-password";
    /** A user with neither sys_admin nor a reader role. */
    private static final String OUTSIDER = "outsider";
    private static final String OUTSIDER_PASSWORD = "console-outsider-password";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of(System.getProperty("basedir", ".")).resolve("target");

    @TempDir
    Path temp;

    private WebDriver driver;
    private Wait<WebDriver> wait;
    private Path shots;

    @Test
    void every_action_of_the_console_works_in_a_browser() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the browser test needs Debian's chromium and chromium-driver (%s, %s); .ci/run installs them "
                        + "with apt-get install -y chromium chromium-driver", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        Path data = Files.createDirectories(temp.resolve("data"));
        Path resources = Files.createDirectories(data.resolve("resources"));
        Files.writeString(resources.resolve("settings.txt"), "the state a snapshot captures");
        byte[] blob = new byte[2_000_000];
        new SplittableRandom(11).nextBytes(blob);
        Files.write(resources.resolve("blob.bin"), blob);
        Path downloads = emptyDirectory(TARGET.resolve("console-downloads"));
        shots = emptyDirectory(TARGET.resolve("console-screenshots"));

        Map<String, String> env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD, "SNAPKEEP_AUTH_READER_ROLES", "viewer",
                "SNAPKEEP_USERS", "[{name: " + VIEWER + ", password: " + VIEWER_PASSWORD + ", roles: [viewer]}, "
                        + "{name: " + OUTSIDER + ", password: " + OUTSIDER_PASSWORD + ", roles: [user]}]");
        try (ServerProcess server = ServerProcess.start(data, env);
             Chromedriver chromedriver = Chromedriver.start(temp)) {
            URI console = server.uri().resolve("/console/");
            theFilesComeWithStrictHeaders(server.uri());
            driver = chromedriver.browser(downloads);
            wait = new FluentWait<>(driver).withTimeout(WAIT).pollingEvery(Duration.ofMillis(50))
                    .ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);
            try {
                walkThrough(server, console, downloads);
            } catch (AssertionError | RuntimeException e) {
                shot("99-failure");
                throw e;
            } finally {
                driver.quit();
            }
        }
    }

    private void walkThrough(ServerProcess server, URI console, Path downloads) throws Exception {
        Api api = new Api(server.uri(), PASSWORD);
        driver.get(server.uri().resolve("/console").toString());
        wait.until(d -> d.findElement(By.id("username")).isDisplayed());
        assertThat(driver.getCurrentUrl()).isEqualTo(console.toString());
        shot("01-sign-in");

        signIn("admin", "not-the-password");
        WebElement error = wait.until(d -> visible(d, "sign-in-error"));
        assertThat(error.getText()).isEqualTo("Sign-in failed: Wrong user name or password.");
        assertThat(driver.findElement(By.id("main")).isDisplayed()).isFalse();
        shot("02-wrong-password");

        signIn("admin", PASSWORD);
        wait.until(d -> text(d, "who-text").contains("Signed in as admin") && text(d, "who-text").contains("sys_admin"));
        wait.until(d -> visible(d, "empty") != null);
        assertThat(storedSession()).as("only a token is kept").doesNotContain(PASSWORD).contains("token");
        shot("03-signed-in");
        driver.navigate().refresh();
        wait.until(d -> visible(d, "main") != null && text(d, "who-text").contains("Signed in as admin"));
        assertThat(driver.findElement(By.id("sign-in")).isDisplayed()).as("a reload keeps the sign-in").isFalse();

        // Create: the progress bar reaches 100 % and says so.
        type("create-id", "first");
        driver.findElement(By.id("include_logs")).click();
        driver.findElement(By.id("create-button")).click();
        wait.until(d -> text(d, "activity-text").equals("Snapshot first created."));
        WebElement bar = driver.findElement(By.id("progress"));
        assertThat(bar.getAttribute("role")).isEqualTo("progressbar");
        assertThat(bar.getAttribute("aria-valuenow")).isEqualTo("100");
        assertThat(text(driver, "progress-percent")).isEqualTo("100 %");
        JsonNode first = api.snapshot("first").orElseThrow();
        assertThat(first.path("status").asText()).isEqualTo("created");
        wait.until(d -> statusOf(d, "first").equals("created"));
        assertThat(cellOf("first", "size").getAttribute("title")).isEqualTo(first.path("archive_size").asLong() + " bytes");
        assertThat(cellOf("first", "sha").getText()).isEqualTo(first.path("archive_sha256").asText());
        assertThat(executionOf(api, "first").path("parameters").path("include_logs").asBoolean(true))
                .as("the unticked flag reaches the API").isFalse();
        shot("04-created");

        // Snapshots made elsewhere appear by themselves: the list refreshes every few seconds.
        for (String id : List.of("alpha", "beta", "gamma", "delta")) {
            assertThat(Api.field(api.awaitEnd(api.create(id)), "status")).isEqualTo("terminated");
        }
        wait.until(d -> ids(d).size() == 5);

        // Sorting by a column heading, one way and the other.
        driver.findElement(By.cssSelector("th[data-field=id] button")).click();
        wait.until(d -> ids(d).equals(List.of("alpha", "beta", "delta", "first", "gamma")));
        assertThat(driver.findElement(By.cssSelector("th[data-field=id]")).getAttribute("aria-sort")).isEqualTo("ascending");
        driver.findElement(By.cssSelector("th[data-field=id] button")).click();
        wait.until(d -> ids(d).equals(List.of("gamma", "first", "delta", "beta", "alpha")));
        driver.findElement(By.cssSelector("th[data-field=id] button")).click();
        wait.until(d -> ids(d).equals(List.of("alpha", "beta", "delta", "first", "gamma")));

        // Paging: five a page, and a sixth snapshot makes a second page.
        new Select(driver.findElement(By.id("page-size"))).selectByValue("5");
        assertThat(Api.field(api.awaitEnd(api.create("zeta")), "status")).isEqualTo("terminated");
        wait.until(d -> text(d, "page-text").equals("Page 1 of 2 (6 snapshots)"));
        shot("05-list");
        driver.findElement(By.id("next-page")).click();
        wait.until(d -> ids(d).equals(List.of("zeta")));
        driver.findElement(By.id("previous-page")).click();
        wait.until(d -> ids(d).size() == 5);

        // Download: the file arrives in the browser's download directory, the archive's size exactly.
        long size = first.path("archive_size").asLong();
        Path downloaded = downloads.resolve("first.zip");
        rowButton("download", "first").click();
        wait.until(d -> text(d, "activity-text").startsWith("Downloaded first.zip"));
        wait.until(d -> sizeOf(downloaded) == size && noPartialDownloads(downloads));
        shot("06-downloaded");

        // Upload the downloaded file under another id: progress from the upload's own events, then `uploaded`.
        driver.findElement(By.id("upload-file")).sendKeys(downloaded.toAbsolutePath().toString());
        wait.until(d -> d.findElement(By.id("upload-id")).getDomProperty("value").equals("first"));
        type("upload-id", "first-copy");
        driver.findElement(By.id("upload-button")).click();
        wait.until(d -> text(d, "activity-text").equals("Uploaded first.zip as snapshot first-copy."));
        assertThat(driver.findElement(By.id("progress")).getAttribute("aria-valuenow")).isEqualTo("100");
        wait.until(d -> statusOf(d, "first-copy").equals("uploaded"));
        assertThat(api.snapshot("first-copy").orElseThrow().path("archive_sha256").asText())
                .isEqualTo(first.path("archive_sha256").asText());
        shot("07-uploaded");

        // Restore: a dialog says what is replaced and offers force; the restore runs to its end.
        rowButton("restore", "first-copy").click();
        WebElement dialog = wait.until(d -> displayed(d.findElement(By.id("restore-dialog"))));
        assertThat(dialog.getText()).contains("Restore snapshot first-copy?")
                .contains("replaces the current state of every participant");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).as("focus moves into the dialog")
                .isEqualTo("restore-cancel");
        driver.findElement(By.id("restore-force")).click();
        shot("08-restore-confirm");
        driver.findElement(By.id("restore-confirm")).click();
        wait.until(d -> text(d, "activity-text").equals("Restore of first-copy finished."));
        assertThat(driver.findElement(By.id("progress")).getAttribute("aria-valuenow")).isEqualTo("100");
        assertThat(driver.findElement(By.id("restore-dialog")).isDisplayed()).isFalse();
        assertThat(driver.switchTo().activeElement().getAttribute("aria-label")).as("focus returns to the row")
                .isEqualTo("Restore first-copy");
        JsonNode restore = executionOf(api, "first-copy");
        assertThat(restore.path("workflow_id").asText()).isEqualTo("restore_snapshot");
        assertThat(restore.path("status").asText()).isEqualTo("terminated");
        assertThat(restore.path("parameters").path("force").asBoolean()).isTrue();
        shot("09-restored");

        // The execution's events, in words.
        driver.findElement(By.id("show-activity-events")).click();
        wait.until(d -> text(d, "event-list").contains("'restore_snapshot' workflow execution succeeded"));
        assertThat(text(driver, "events-about")).contains(restore.path("id").asText());
        shot("10-events");
        rowButton("events", "alpha").click();
        wait.until(d -> text(d, "events-about").startsWith("The last create snapshot of alpha"));
        assertThat(text(driver, "event-list")).contains("'create_snapshot' workflow execution succeeded");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).as("focus moves to the events")
                .isEqualTo("events-title");

        // Delete, after a confirmation; a restore of a failed snapshot's error would show in words too.
        rowButton("delete", "delta").click();
        wait.until(d -> displayed(d.findElement(By.id("delete-dialog"))));
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("delete-cancel");
        shot("11-delete-confirm");
        driver.findElement(By.id("delete-confirm")).click();
        wait.until(d -> text(d, "status").equals("Snapshot delta deleted."));
        wait.until(d -> !ids(d).contains("delta"));
        assertThat(api.snapshot("delta")).isEmpty();
        shot("12-deleted");

        // An API error is shown by its message: a second create of an existing id.
        type("create-id", "first");
        driver.findElement(By.id("create-button")).click();
        wait.until(d -> text(d, "status").startsWith("Could not create first: "));
        assertThat(text(driver, "status")).doesNotContain("{").doesNotContain("error_code");

        policies(api);

        // A phone's width: the list is still there, in cards, with nothing to scroll sideways.
        driver.manage().window().setSize(new Dimension(390, 844));
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("return window.innerWidth <= 400"));
        Object tooWide = ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('body *'))"
                + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                + ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + e.textContent.slice(0, 60))");
        assertThat((List<?>) tooWide).as("nothing wider than the phone's screen").isEmpty();
        WebElement firstId = cellOf("alpha", "id");
        assertThat(firstId.isDisplayed()).isTrue();
        assertThat(rowButton("download", "alpha").isDisplayed()).isTrue();
        ((JavascriptExecutor) driver).executeScript("document.getElementById('snapshots').scrollIntoView()");
        shot("16-phone");
        // The policies page at a phone's width: cards too, nothing to scroll sideways.
        driver.findElement(By.id("show-policies")).click();
        wait.until(d -> policyCell(d, "yearly", "health").isDisplayed());
        assertThat((List<?>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('body *'))"
                + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                + ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + e.textContent.slice(0, 60))"))
                .as("nothing of the policies page wider than the phone's screen").isEmpty();
        shot("17-phone-policies");
        driver.manage().window().setSize(new Dimension(1280, 900));

        // Delete the policy after a confirmation that says its snapshots stay.
        String made = policyCell(driver, "yearly", "last-success").findElement(By.cssSelector(".sub")).getText();
        rowButton("policy-delete", "yearly").click();
        WebElement confirm = wait.until(d -> displayed(d.findElement(By.id("policy-delete-dialog"))));
        assertThat(confirm.getText()).contains("Delete policy yearly?").contains("The snapshots it has made stay");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("policy-delete-cancel");
        shot("18-policy-delete-confirm");
        driver.findElement(By.id("policy-delete-confirm")).click();
        wait.until(d -> text(d, "status").equals("Policy yearly deleted; its snapshots stay."));
        wait.until(d -> d.findElements(By.cssSelector("tr[data-policy='yearly']")).isEmpty());
        Api.check(api.get("snapshot-policies/yearly"), 404);
        assertThat(api.snapshot(made)).as("the policy's snapshot stays").isPresent();
        shot("19-policy-deleted");
        // One left for the reader to see, written through the API.
        Api.check(api.send("PUT", "snapshot-policies/weekly", HttpRequest.BodyPublishers.ofString(
                "{\"schedule\": \"0 2 * * 0\", \"snapshot_id\": \"weekly-{yyyyMMdd-HHmm}\"}"), "application/json"), 200);
        driver.findElement(By.id("show-snapshots")).click();

        // Sign out, and in again as a user with a reader role: the list, read-only.
        driver.findElement(By.id("sign-out")).click();
        wait.until(d -> d.findElement(By.id("username")).isDisplayed());
        assertThat(storedSession()).isEqualTo("{}");
        signIn(VIEWER, VIEWER_PASSWORD);
        wait.until(d -> text(d, "who-text").contains("Signed in as " + VIEWER) && text(d, "who-text").contains("read-only"));
        wait.until(d -> visible(d, "read-only") != null);
        wait.until(d -> cellOf("alpha", "id").isDisplayed());
        assertThat(driver.findElement(By.id("admin")).isDisplayed()).as("no create or upload").isFalse();
        assertThat(driver.findElements(By.cssSelector(".row-restore, .row-delete, .row-download")))
                .as("no restore, delete or download").isEmpty();
        assertThat(rowButton("events", "alpha").isDisplayed()).as("events can be read").isTrue();
        shot("20-read-only");
        driver.findElement(By.id("show-policies")).click();
        wait.until(d -> policyCell(d, "weekly", "health").getText().equals("OK"));
        assertThat(driver.findElement(By.id("policy-admin")).isDisplayed()).as("no policy form").isFalse();
        assertThat(driver.findElements(By.cssSelector(".row-policy-run, .row-policy-delete, .row-policy-edit")))
                .as("no run, edit or delete").isEmpty();
        rowButton("policy-history", "weekly").click();
        wait.until(d -> visible(d, "history-empty") != null);
        assertThat(text(driver, "history-name")).isEqualTo("weekly");
        shot("21-policies-read-only");

        // A user with no role that reads: the API's refusal, in words.
        driver.findElement(By.id("sign-out")).click();
        wait.until(d -> d.findElement(By.id("username")).isDisplayed());
        signIn(OUTSIDER, OUTSIDER_PASSWORD);
        wait.until(d -> text(d, "who-text").contains("Signed in as " + OUTSIDER));
        WebElement refused = wait.until(d -> visible(d, "list-error"));
        assertThat(refused.getText()).contains("reading snapshots needs the `sys_admin` role or a reader role")
                .contains("Ask an administrator").doesNotContain("{");
        assertThat(text(driver, "page-text")).as("nothing of the earlier views is left").isEqualTo("No snapshots");
        assertThat(driver.findElement(By.id("activity")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("events")).isDisplayed()).isFalse();
        shot("22-refused");

        // The policy let everything of the console run, and nothing failed in its script.
        List<String> log = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .toList();
        assertThat(log).as("the browser's log is read: the wrong password's 401 is in it")
                .anyMatch(m -> m.contains("status of 401"));
        assertThat(log).noneMatch(m -> m.contains("Content Security Policy") || m.contains("Uncaught")
                || m.contains("TypeError"));
    }

    /** The policies page as sys_admin: create through the form, a refusal in words, run now, history. */
    private void policies(Api api) throws Exception {
        driver.findElement(By.id("show-policies")).click();
        wait.until(d -> visible(d, "policies-empty") != null && visible(d, "policy-admin") != null);
        assertThat(driver.findElement(By.id("show-policies")).getAttribute("aria-current")).isEqualTo("page");
        assertThat(driver.findElement(By.id("snapshots")).isDisplayed()).as("one page at a time").isFalse();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("policies-title");

        // Once a year, so it never fires by itself during the test; two snapshots at most.
        type("policy-name", "yearly");
        type("policy-schedule", "0 0 1 1 *");
        type("policy-zone", "Europe/Berlin");
        type("policy-template", "yearly-{yyyyMMdd-HHmmss}");
        driver.findElement(By.id("policy-include_logs")).click();
        type("policy-max-count", "2");
        driver.findElement(By.id("policy-save")).click();
        wait.until(d -> text(d, "status").equals("Policy yearly created."));
        wait.until(d -> policyCell(d, "yearly", "health").getText().equals("OK"));
        assertThat(policyCell(driver, "yearly", "schedule").getText()).isEqualTo("0 0 1 1 * (Europe/Berlin)");
        assertThat(policyCell(driver, "yearly", "retention").getText()).isEqualTo("Keeps at most 2");
        assertThat(policyCell(driver, "yearly", "template").getText()).isEqualTo("yearly-{yyyyMMdd-HHmmss}");
        assertThat(policyCell(driver, "yearly", "failures").getText()).isEqualTo("0");
        assertThat(policyCell(driver, "yearly", "next-due").findElement(By.tagName("time")).getAttribute("datetime"))
                .as("next 1 January in Berlin, shown by its UTC instant").startsWith(nextNewYearInBerlin());
        JsonNode stored = Api.json(api.get("snapshot-policies/yearly").body());
        assertThat(stored.path("retention").path("max_count").asInt()).isEqualTo(2);
        assertThat(stored.path("create_options").path("include_logs").asBoolean(true))
                .as("the unticked flag reaches the API").isFalse();
        assertThat(driver.findElement(By.id("policy-name")).getDomProperty("value")).as("the form is cleared").isEmpty();
        ((JavascriptExecutor) driver).executeScript("document.getElementById('policies').scrollIntoView()");
        shot("13-policy-created");

        // A schedule that cannot be: the API's refusal in words, and the field it names marked and focused.
        type("policy-name", "broken");
        type("policy-schedule", "61 * * * *");
        type("policy-template", "broken-{yyyyMMdd-HHmmss}");
        driver.findElement(By.id("policy-save")).click();
        WebElement refusal = wait.until(d -> visible(d, "policy-form-error"));
        assertThat(refusal.getText()).startsWith("Could not save policy broken: ").contains("`schedule`")
                .doesNotContain("{\"").doesNotContain("error_code").doesNotContain("bad_parameters");
        assertThat(driver.findElement(By.id("policy-schedule")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("policy-schedule");
        assertThat(api.get("snapshot-policies/broken").statusCode()).as("nothing stored").isEqualTo(404);
        shot("14-policy-refused");

        // Run now: the create's progress in the shared panel, its snapshot in the list, a success in the history.
        rowButton("policy-run", "yearly").click();
        wait.until(d -> text(d, "activity-text").matches("Policy yearly created snapshot yearly-\\d{8}-\\d{6}\\."));
        assertThat(driver.findElement(By.id("progress")).getAttribute("aria-valuenow")).isEqualTo("100");
        String made = text(driver, "activity-text").replace("Policy yearly created snapshot ", "").replace(".", "");
        WebElement succeeded = wait.until(d -> displayed(d.findElement(By.cssSelector(
                "#history-rows tr[data-outcome='succeeded']"))));
        assertThat(text(driver, "history-name")).isEqualTo("yearly");
        assertThat(succeeded.findElement(By.cssSelector("td.kind")).getText()).isEqualTo("Create run by hand");
        assertThat(succeeded.findElement(By.cssSelector("td.snapshot")).getText()).isEqualTo(made);
        wait.until(d -> policyCell(d, "yearly", "last-success").getText().contains(made));
        ((JavascriptExecutor) driver).executeScript("document.getElementById('policies').scrollIntoView()");
        shot("15-policy-run");
        driver.findElement(By.id("show-snapshots")).click();
        new Select(driver.findElement(By.id("page-size"))).selectByValue("10");
        wait.until(d -> statusOf(d, made).equals("created"));
        assertThat(api.snapshot(made).orElseThrow().path("status").asText()).isEqualTo("created");
    }

    private static String nextNewYearInBerlin() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        return ZonedDateTime.of(Year.now(berlin).getValue() + 1, 1, 1, 0, 0, 0, 0, berlin).toInstant().toString()
                .substring(0, "2000-12-31T23:00".length());
    }

    private static WebElement policyCell(WebDriver d, String name, String column) {
        return d.findElement(By.cssSelector("tr[data-policy='" + name + "'] td." + column));
    }

    /** The console's files: right types, no caching, and a policy that lets no inline script run. */
    private static void theFilesComeWithStrictHeaders(URI server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(server.resolve("/console")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/console/");
        Map<String, String> types = Map.of("", "text/html", "console.js", "text/javascript", "console.css", "text/css");
        for (Map.Entry<String, String> file : types.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.resolve("/console/" + file.getKey())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(file.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(file.getKey())
                    .hasValueSatisfying(t -> assertThat(t).startsWith(file.getValue()));
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'self'").contains("script-src 'self'").doesNotContain("unsafe"));
        }
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(server.resolve("/console/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.body()).as("no inline script or style").doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                .doesNotContain("style=").doesNotContain("<style");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(server.resolve("/console/other.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Api.field(missing.body(), "error_code")).isEqualTo("not_found_error");
        HttpResponse<String> apiStill = http.send(HttpRequest.newBuilder(server.resolve("/api/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(apiStill.statusCode()).as("the API beside the console").isEqualTo(200);
    }

    private void signIn(String user, String password) {
        type("username", user);
        type("password", password);
        driver.findElement(By.id("sign-in-button")).click();
    }

    private void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private String storedSession() {
        return (String) ((JavascriptExecutor) driver).executeScript("return JSON.stringify(sessionStorage)");
    }

    private WebElement rowButton(String action, String id) {
        return wait.until(d -> displayed(d.findElement(By.cssSelector("button[data-focus-key='" + action + ":" + id + "']"))));
    }

    private WebElement cellOf(String id, String column) {
        return wait.until(d -> d.findElement(By.cssSelector("tr[data-id='" + id + "'] td." + column)));
    }

    private static String statusOf(WebDriver d, String id) {
        List<WebElement> badge = d.findElements(By.cssSelector("tr[data-id='" + id + "'] td.status .badge"));
        return badge.isEmpty() ? "" : badge.get(0).getText();
    }

    private static List<String> ids(WebDriver d) {
        List<String> ids = new ArrayList<>();
        for (WebElement row : d.findElements(By.cssSelector("#snapshot-rows tr"))) {
            ids.add(row.getDomAttribute("data-id"));
        }
        return ids;
    }

    private static String text(WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    private static WebElement visible(WebDriver d, String id) {
        return displayed(d.findElement(By.id(id)));
    }

    private static WebElement displayed(WebElement e) {
        return e.isDisplayed() ? e : null;
    }

    /** The latest execution of {@code snapshotId}. */
    private static JsonNode executionOf(Api api, String snapshotId) throws Exception {
        HttpResponse<String> r = api.get("executions?_include_system_workflows=true&snapshot_id=" + snapshotId
                + "&_sort=-created_at&_size=1");
        Api.check(r, 200);
        return Api.json(r.body()).path("items").path(0);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException absent) {
            return -1;
        }
    }

    private static boolean noPartialDownloads(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
        } catch (IOException e) {
            return false;
        }
    }

    private void shot(String name) throws IOException {
        Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private static Path emptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir).toAbsolutePath();
    }

    /**
     * Debian's chromedriver, started here on a free port of 127.0.0.1 (Selenium's own service would name the
     * host {@code localhost}, and its Selenium Manager would look for drivers on the network).
     */
    private static final class Chromedriver implements AutoCloseable {
        private final Process process;
        private final URI uri;

        private Chromedriver(Process process, URI uri) {
            this.process = process;
            this.uri = uri;
        }

        static Chromedriver start(Path temp) throws Exception {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                port = probe.getLocalPort();
            }
            Path log = temp.resolve("chromedriver.log");
            Process p = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--log-path=" + log)
                    .redirectErrorStream(true).redirectOutput(temp.resolve("chromedriver.out").toFile()).start();
            URI uri = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> status = http.send(HttpRequest.newBuilder(uri.resolve("/status")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (status.statusCode() == 200 && status.body().contains("\"ready\":true")) {
                        return new Chromedriver(p, uri);
                    }
                } catch (IOException notYet) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("chromedriver exited with " + p.exitValue() + ": "
                                + Files.readString(temp.resolve("chromedriver.out")));
                    }
                }
                Thread.sleep(20);
            }
            p.destroyForcibly();
            throw new IllegalStateException("chromedriver did not get ready within 30 s");
        }

        WebDriver browser(Path downloads) throws Exception {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                    "--lang=en-US", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                    "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                    "--metrics-recording-only", "--safebrowsing-disable-auto-update",
                    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                    // Anything not on loopback would go to this closed port, and fail there.
                    "--proxy-server=http://127.0.0.1:9");
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false,
                    "download.directory_upgrade", true,
                    "safebrowsing.enabled", false,
                    "credentials_enable_service", false,
                    "profile.password_manager_enabled", false));
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            RemoteWebDriver browser = new RemoteWebDriver(uri.toURL(), options);
            browser.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return browser;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
