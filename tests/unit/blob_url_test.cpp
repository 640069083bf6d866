// Choosing the shared artifact storage by url, and what an object key may be
// (src/blob/blob_store.hpp). The stores themselves: tests/services/blob_store_test.cpp.
#include <cstdlib>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>

#include "blob/blob_store.hpp"
#include "core/error.hpp"
#include "support/support.hpp"

namespace kompo::blob {
namespace {

S3Settings with_credentials() {
    S3Settings s3;
    s3.endpoint = "http://127.0.0.1:1";
    s3.access_key_id = "id";
    s3.secret_access_key = "secret";
    return s3;
}

TEST(BlobUrl, BadUrlsGiveOneLineNamingTheUrl) {
    for (const std::string url :
         {"", "ftp://host/artifacts", "/mnt/artifacts", "file://fileserver/artifacts",
          "file:relative", "s3://", "s3://Upper_Case/p", "s3://ab/p", "s3://bucket-.x/p",
          "s3://bucket//p", "s3://bucket/../p", "s3://bucket/p q", "s3://bucket/.hidden"}) {
        try {
            open_blob_store(url, with_credentials());
            ADD_FAILURE() << url << " was accepted";
        } catch (const Error& e) {
            const std::string message = e.what();
            EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << message;
            EXPECT_EQ(message.rfind("blob store url \"" + url + "\": ", 0), 0u) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    }
}

TEST(BlobUrl, AnS3UrlNeedsCredentials) {
    try {
        open_blob_store("s3://kompo-artifacts/renders", S3Settings{});
        FAIL() << "opened without credentials";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "blob store url \"s3://kompo-artifacts/renders\": no credentials (set "
                     "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    }
    EXPECT_EQ(open_blob_store("s3://kompo-artifacts/renders/", with_credentials())->url(),
              "s3://kompo-artifacts/renders/");
    EXPECT_EQ(open_blob_store("s3://kompo.artifacts", with_credentials())->url(),
              "s3://kompo.artifacts");
}

TEST(BlobUrl, AFileUrlNamesAFolderItCreates) {
    const auto dir = test::scratch_dir();
    const auto url = "file://" + (dir / "mnt" / "artifacts").string();
    const auto store = open_blob_store(url);
    EXPECT_EQ(store->url(), url);
    EXPECT_TRUE(std::filesystem::is_directory(dir / "mnt" / "artifacts"));

    std::ofstream(dir / "not-a-folder") << "x";
    EXPECT_THROW(open_blob_store("file://" + (dir / "not-a-folder").string()), Error);
}

TEST(BlobKey, RefusesPathsThatEscapeHideOrNeedEscaping) {
    for (const std::string& key : std::vector<std::string>{
             "", "../x.mp4", "/ab/x.mp4", "ab//x.mp4", "ab/", ".hidden", "ab/.x.mp4", "a b.mp4",
             "ab/x.mp4?acl", "ab\\x.mp4", std::string(513, 'a')}) {
        try {
            check_key(key);
            ADD_FAILURE() << key << " was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
            EXPECT_EQ(std::string(e.what()).rfind("blob key \"" + key + "\" ", 0), 0u) << e.what();
        }
    }
    for (const std::string& key : std::vector<std::string>{"ab/ab12ef.mp4", "x-y_z.1",
                                                           "a/b/c/d.aac", std::string(512, 'a')}) {
        EXPECT_NO_THROW(check_key(key)) << key;
    }
}

TEST(S3Settings, TakesAwssVariables) {
    setenv("AWS_ENDPOINT_URL", "http://fallback:9000", 1);
    setenv("AWS_ENDPOINT_URL_S3", "http://minio:9000", 1);
    unsetenv("AWS_REGION");
    setenv("AWS_DEFAULT_REGION", "eu-west-3", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI", 1);
    setenv("AWS_SESSION_TOKEN", "", 1);
    const auto s3 = S3Settings::from_environment();
    EXPECT_EQ(s3.endpoint, "http://minio:9000");
    EXPECT_EQ(s3.region, "eu-west-3");
    EXPECT_EQ(s3.access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(s3.secret_access_key, "wJalrXUtnFEMI");
    EXPECT_EQ(s3.session_token, "");
}

}  // namespace
}  // namespace kompo::blob
