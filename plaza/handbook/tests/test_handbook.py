def test_recruitment_guide_lists_all_25_steps(world, client):
    client.force_login(world.employee)
    body = client.get("/handbook/recruitment/").content.decode()
    assert body.count("<li>") >= 25 and "递交入党申请书" in body and "材料归档" in body


def test_rulebook_digest_renders_figures_from_the_rules(world, client):
    client.force_login(world.employee)
    body = client.get("/handbook/rules/").content.decode()
    assert "0.5%" in body and "2%" in body and "5→6" in body and "每季度至少一次" in body


def test_dues_calculator(world, client):
    client.force_login(world.member_a)
    assert "¥ 90.00" in client.get("/handbook/dues/", {"base": "6000", "category": "in_service"}).content.decode()
    partial = client.get("/handbook/dues/", {"base": "-5", "category": "in_service"}, HTTP_HX_REQUEST="true")
    assert "不能为负数" in partial.content.decode() and "<html" not in partial.content.decode()
    assert "请填写" in client.get("/handbook/dues/", {"category": "retired"}).content.decode()
    assert "¥ 0.20" in client.get("/handbook/dues/", {"category": "flat"}).content.decode()


def test_functions_appear_in_learn_and_services(world, client):
    client.force_login(world.employee)
    assert "发展党员流程" in client.get("/s/learn/").content.decode()
    assert "党费计算" in client.get("/s/services/").content.decode()
