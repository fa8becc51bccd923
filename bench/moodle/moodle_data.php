<?php
// Moodle side of KruPD's comparison bench: the courses and users the workloads read and
// enrol in, made with Moodle's own APIs and data generator. Run with Moodle's CLI from
// the Moodle source directory (setup_moodle.sh does):
//
//   php moodle_data.php MOODLE_SRC site              courses, students, search words; idempotent
//   php moodle_data.php MOODLE_SRC users PREFIX N    N new students (for one enrolment run)
//   php moodle_data.php MOODLE_SRC count PREFIX      self-enrolments of the PREFIX students
//
// Prints JSON on stdout.

define('CLI_SCRIPT', true);
define('NO_OUTPUT_BUFFERING', true);
$moodlesrc = $argv[1];
require($moodlesrc . '/config.php');
require_once($CFG->libdir . '/clilib.php');
require_once($CFG->dirroot . '/lib/phpunit/classes/util.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->dirroot . '/course/lib.php');

const PASSWORD = 'Bench-pass-1';
const STUDENTS = 64;          // one per connection, the largest concurrency is 16
const ENROL_COURSES = 400;    // each enrolment request enrols in a course the user is not in yet
// Subject words: every search word is the title word of a few dozen courses, so a search
// answers one page of results, as a people search by first name does on KruPD.
const WORDS = ['Mathematics', 'Science', 'Thai', 'English', 'History', 'Geography', 'Music',
               'Art', 'Physics', 'Chemistry', 'Biology', 'Computing'];

\core\session\manager::set_user(get_admin());
$generator = phpunit_util::get_data_generator();
$mode = $argv[2];

function bench_user(string $username) {
    global $DB, $CFG;
    if ($user = $DB->get_record('user', ['username' => $username])) {
        return $user;
    }
    $id = user_create_user((object) [
        'username' => $username, 'password' => PASSWORD, 'firstname' => 'Student',
        'lastname' => $username, 'email' => "$username@example.invalid", 'auth' => 'manual',
        'confirmed' => 1, 'mnethostid' => $CFG->mnet_localhost_id,
    ], true, false);
    return $DB->get_record('user', ['id' => $id]);
}

function bench_course(string $shortname, string $fullname, array $modules, $generator) {
    global $DB;
    if ($course = $DB->get_record('course', ['shortname' => $shortname])) {
        return $course;
    }
    $course = $generator->create_course([
        'shortname' => $shortname, 'fullname' => $fullname, 'enablecompletion' => 1,
        'numsections' => max(1, count($modules)),
    ]);
    foreach ($modules as $i => $module) {
        // Manual completion on every activity, as KruPD's modules track completion.
        $generator->create_module($module, ['course' => $course->id, 'section' => $i + 1,
            'completion' => COMPLETION_TRACKING_MANUAL, 'name' => ucfirst($module) . ' ' . ($i + 1)]);
    }
    return $course;
}

function self_enrol_instance($course) {
    global $DB;
    $plugin = enrol_get_plugin('self');
    $instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'self']);
    if (!$instance) {
        $plugin->add_instance($course, ['status' => ENROL_INSTANCE_ENABLED]);
        $instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'self']);
    }
    if ($instance->status != ENROL_INSTANCE_ENABLED) {
        $plugin->update_status($instance, ENROL_INSTANCE_ENABLED);
        $instance = $DB->get_record('enrol', ['id' => $instance->id]);
    }
    return $instance;
}

if ($mode === 'site') {
    $pattern = ['page', 'page', 'quiz', 'forum', 'assign'];
    $c5 = bench_course('bench-c5', 'Bench course, 5 activities', $pattern, $generator);
    $c20 = bench_course('bench-c20', 'Bench course, 20 activities',
        array_merge($pattern, $pattern, $pattern, $pattern), $generator);
    $students = [];
    for ($i = 1; $i <= STUDENTS; $i++) {
        $user = bench_user("bench-student-$i");
        foreach ([$c5, $c20] as $course) {
            $generator->enrol_user($user->id, $course->id, 'student', 'manual');
        }
        $students[] = $user->username;
    }
    $enrolcourses = [];
    for ($i = 1; $i <= ENROL_COURSES; $i++) {
        $word = WORDS[$i % count(WORDS)];
        $course = bench_course(sprintf('bench-enrol-%03d', $i), "$word course $i", [], $generator);
        $instance = self_enrol_instance($course);
        $enrolcourses[] = ['course' => (int) $course->id, 'instance' => (int) $instance->id];
    }
    $state = ['password' => PASSWORD, 'students' => $students, 'course5' => (int) $c5->id,
        'course20' => (int) $c20->id, 'enrol_courses' => $enrolcourses, 'words' => WORDS];
    echo json_encode($state) . "\n";
} else if ($mode === 'users') {
    $names = [];
    for ($i = 1; $i <= (int) $argv[4]; $i++) {
        $names[] = bench_user($argv[3] . "-$i")->username;
    }
    echo json_encode($names) . "\n";
} else if ($mode === 'count') {
    $count = $DB->count_records_sql(
        "SELECT COUNT(*) FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid
          JOIN {user} u ON u.id = ue.userid WHERE e.enrol = 'self' AND u.username LIKE ?",
        [$argv[3] . '-%']);
    echo json_encode(['self_enrolments' => $count]) . "\n";
} else {
    cli_error("unknown mode $mode");
}
