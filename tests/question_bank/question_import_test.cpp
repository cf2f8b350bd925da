#include "question_bank/question_import.hpp"

#include <catch2/catch.hpp>

using namespace anquanli;

namespace {

const std::string good_single =
    R"({"id":"Q0001","type":"single","category":"法律法规","difficulty":1,"stem":"安全生产工作坚持什么方针？","options":[{"key":"A","text":"安全第一、预防为主、综合治理"},{"key":"B","text":"效益优先"}],"answer":["A"],"explanation":"安全生产法第三条。","source":"《中华人民共和国安全生产法》第三条"})";

std::string with(std::string line, const std::string& from, const std::string& to) {
  line.replace(line.find(from), from.size(), to);
  return line;
}

bool reports(const question_import& result, std::size_t line, const std::string& fragment) {
  for (const auto& problem : result.problems) {
    if (problem.line == line && problem.reason.find(fragment) != std::string::npos) {
      return true;
    }
  }
  return false;
}

const std::string csv_head = std::string{csv_header} + "\n";

}  // namespace

TEST_CASE("a valid JSON Lines file imports every question", "[import]") {
  const std::string content = good_single + "\n\n" + with(good_single, "Q0001", "Q0002") + "\n";
  const auto result = parse_questions(content, question_format::jsonl);
  CHECK(result.problems.empty());
  REQUIRE(result.questions.size() == 2);
  CHECK(result.questions[0].id == question_id{"Q0001"});
  CHECK(result.questions[0].options.size() == 2);
  CHECK(result.questions[0].answer == std::vector<std::string>{"A"});
  CHECK(result.questions[1].id == question_id{"Q0002"});
}

TEST_CASE("each JSON Lines error is reported with its line", "[import]") {
  const std::string content =
      good_single + "\n" +                                                                  // 1
      with(good_single, R"("single")", R"("essay")") + "\n" +                               // 2
      with(with(good_single, "Q0001", "Q0003"), R"(["A"])", R"(["C"])") + "\n" +            // 3
      with(with(good_single, "Q0001", "Q0004"), R"(["A"])", R"(["A","B"])") + "\n" +        // 4
      good_single + "\n" +                                                                  // 5
      with(with(good_single, "Q0001", "Q0006"), "安全生产工作坚持什么方针？", "") + "\n" +  // 6
      "{not json\n" +                                                                       // 7
      with(good_single, "Q0001", "Q0008").substr(0, 40) + "\xff\xfe\n" +                    // 8
      with(with(good_single, "Q0001", "Q0009"), R"("difficulty":1)", R"("difficulty":"1")") +
      "\n" +  // 9
      with(with(good_single, "Q0001", "Q0010"), R"("difficulty":1)", R"("difficulty":4)") +
      "\n" +                                                                          // 10
      with(with(good_single, "Q0001", "Q0011"), R"("source")", R"("sorce")") + "\n";  // 11
  const auto result = parse_questions(content, question_format::jsonl);
  CHECK(reports(result, 2, "unknown type 'essay'"));
  CHECK(reports(result, 3, "answer key 'C' is not among the options"));
  CHECK(reports(result, 4, "a single question has exactly one answer, not 2"));
  CHECK(reports(result, 5, "duplicate id 'Q0001' in file (first on line 1)"));
  CHECK(reports(result, 6, "stem is empty"));
  CHECK(reports(result, 7, "not a JSON object"));
  CHECK(reports(result, 8, "not valid UTF-8"));
  CHECK(reports(result, 9, "'difficulty' must be an integer"));
  CHECK(reports(result, 10, "difficulty 4 is not 1, 2 or 3"));
  CHECK(reports(result, 11, "unknown field 'sorce'"));
  CHECK_FALSE(reports(result, 1, ""));
  CHECK(result.problems.size() == 10);
}

TEST_CASE("judge questions must be 正确 / 错误", "[import]") {
  const std::string judge =
      R"({"id":"J1","type":"judge","category":"法律法规","difficulty":1,"stem":"从业人员有权拒绝违章指挥。","options":[{"key":"A","text":"正确"},{"key":"B","text":"错误"}],"answer":["A"],"explanation":"安全生产法规定的从业人员权利。","source":"《中华人民共和国安全生产法》"})";
  CHECK(parse_questions(judge, question_format::jsonl).problems.empty());
  const auto swapped =
      parse_questions(with(judge, R"("text":"正确")", R"("text":"对")"), question_format::jsonl);
  CHECK(reports(swapped, 1, "A = 正确, B = 错误"));
}

TEST_CASE("a multiple question needs at least two answers", "[import]") {
  const std::string multiple =
      with(with(good_single, R"("single")", R"("multiple")"), R"(["A"])", R"(["A"])");
  CHECK(reports(parse_questions(multiple, question_format::jsonl), 1, "at least two answers"));
}

TEST_CASE("a valid CSV file imports - BOM and quoted fields included", "[import]") {
  const std::string content =
      "\xEF\xBB\xBF" + csv_head +
      "C1,multiple,安全管理,2,\"下列哪些属于\n\"\"三违\"\"行为？\",违章指挥,违章作业,违反劳动纪律,"
      "按章操作,,,,,ABC,三违指违章指挥、违章作业、违反劳动纪律。,安全常识\r\n"
      "C2,judge,安全管理,1,安全帽可以不系下颏带。,正确,错误,,,,,,,B,不系下颏带起不到防护作用。,\n";
  const auto result = parse_questions(content, question_format::csv);
  INFO((result.problems.empty() ? std::string{} : result.problems.front().reason));
  CHECK(result.problems.empty());
  REQUIRE(result.questions.size() == 2);
  CHECK(result.questions[0].stem == "下列哪些属于\n\"三违\"行为？");
  CHECK(result.questions[0].options.size() == 4);
  CHECK(result.questions[0].answer == std::vector<std::string>{"A", "B", "C"});
  CHECK(result.questions[1].type == question_type::judge);
  CHECK(result.questions[1].source.empty());
}

TEST_CASE("each CSV error is reported with the line its record starts on", "[import]") {
  const std::string content = csv_head +                                                     // 1
                              "C1,single,管理,1,\"跨两行\n的题干\",甲,乙,,,,,,,A,解析,\n" +  // 2-3
                              "C2,single,管理,1,题干,甲,,丙,,,,,,A,解析,\n" +                // 4
                              "C3,single,管理,x,题干,甲,乙,,,,,,,A,解析,\n" +                // 5
                              "C4,single,管理,1,题干,甲,乙\n" +                              // 6
                              "C1,single,管理,1,题干,甲,乙,,,,,,,B,解析,\n" +                // 7
                              "C6,judge,管理,1,题干,对,错,,,,,,,A,解析,\n" +                 // 8
                              "C7,single,管理,1,题干,甲,乙,,,,,,,AB,解析,\n";                // 9
  const auto result = parse_questions(content, question_format::csv);
  CHECK(reports(result, 4, "option B is empty but a later option is set"));
  CHECK(reports(result, 5, "difficulty 'x' is not a number"));
  CHECK(reports(result, 6, "has 7 columns"));
  CHECK(reports(result, 7, "duplicate id 'C1' in file (first on line 2)"));
  CHECK(reports(result, 8, "A = 正确, B = 错误"));
  CHECK(reports(result, 9, "exactly one answer"));
  CHECK_FALSE(reports(result, 2, ""));
  CHECK_FALSE(reports(result, 3, ""));
}

TEST_CASE("a CSV file with the wrong header or broken quoting is refused", "[import]") {
  CHECK(reports(parse_questions("id,stem\nQ,x\n", question_format::csv), 1, "header must be"));
  CHECK(reports(parse_questions("", question_format::csv), 1, "file is empty"));
  const auto broken = parse_questions(csv_head + "C1,single,管理,1,\"未闭合,甲,乙,,,,,,,A,解析,\n",
                                      question_format::csv);
  CHECK(reports(broken, 2, "malformed CSV"));
  CHECK(broken.questions.empty());
}

TEST_CASE("file formats are chosen by extension", "[import]") {
  CHECK(format_of("bank.jsonl") == question_format::jsonl);
  CHECK(format_of("dir/bank.ndjson") == question_format::jsonl);
  CHECK(format_of("bank.csv") == question_format::csv);
  CHECK_FALSE(format_of("bank.xlsx"));
}
